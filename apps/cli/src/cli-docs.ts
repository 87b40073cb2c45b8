import type { Command } from 'commander';
import { EXIT } from './cli-context.js';
import type { CliRun } from './command-action.js';
import { buildProgram } from './program.js';

/** Wide enough for the longest usage line; fixed so the file does not depend on a terminal. */
const DOCS_HELP_WIDTH = 100;

/** Every command below `command`, depth first, without commander's implicit `help` commands. */
const commandsOf = (command: Command): Command[] =>
  command.commands.filter((sub) => sub.name() !== 'help').flatMap((sub) => [sub, ...commandsOf(sub)]);

const wordsOf = (command: Command): string => {
  const words: string[] = [];
  for (let at: Command | null = command; at !== null; at = at.parent) words.unshift(at.name());
  return words.join(' ');
};

/**
 * docs/cli.md, rendered from the commander program: each command's `--help` exactly as the CLI
 * prints it (examples included). cli-docs.spec.ts fails when the file differs; regenerate it with
 * `node scripts/cli-docs.mjs`.
 */
export const renderCliDocs = (): string => {
  let captured: string[] = [];
  const run: CliRun = {
    io: { out: (line) => captured.push(line), err: (line) => captured.push(line) },
    exitCode: 0,
  };
  const program = buildProgram(run, DOCS_HELP_WIDTH);
  const helpOf = (command: Command): string => {
    captured = [];
    command.outputHelp();
    return captured.join('\n').trimEnd();
  };
  const commands = [program, ...commandsOf(program)];
  const sections = commands.map(
    (command) => `## ${wordsOf(command)}\n\n\`\`\`text\n${helpOf(command)}\n\`\`\`\n`,
  );
  return [
    '# The sogoms CLI',
    '',
    '<!-- Generated from apps/cli (the commander program) by `node scripts/cli-docs.mjs`; do not edit. -->',
    '',
    '`npx sogoms <command>` (or `node bin/sogoms.js <command>`) from the project root. `bin/sogoms.js`',
    'builds `dist/` when a source is newer than the last build, then runs `dist/bundle/cli/main.js`.',
    'Every command takes `--config <root>` (default `./config`) and `--help`; an unknown command or',
    'option names the nearest valid one.',
    '',
    '## Exit codes',
    '',
    `- \`${EXIT.ok}\` ok.`,
    `- \`${EXIT.failed}\` the command ran and failed or found something: differences (\`schema diff\`), findings`,
    '  (`schema validate`), a service not healthy after `restart`, a refused `reload`.',
    `- \`${EXIT.usage}\` a usage error (unknown command or option, missing argument), or an error that kept the`,
    '  command from running: bad configuration, unknown app, no supervisor running.',
    '',
    '## Commands',
    '',
    ...commands.map(
      (command) =>
        `- [\`${wordsOf(command)}\`](#${wordsOf(command).replaceAll(' ', '-')}): ${command.description()}`,
    ),
    '',
    ...sections,
  ].join('\n');
};
