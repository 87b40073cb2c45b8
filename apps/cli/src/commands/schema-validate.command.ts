import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseSchemaYaml, SCHEMA_FILE, type SchemaFinding } from '@sogoms/schema';
import { findApp } from '../app-config.lookup.js';
import { CliFailure, EXIT, type CliCommand, type CliContext } from '../cli-context.js';

/** `file:line: table.field: message`, the way compilers print, so editors can jump to it. */
export const formatFinding = (finding: SchemaFinding): string => {
  const where = finding.line === undefined ? finding.file : `${finding.file}:${finding.line}`;
  const subject =
    finding.table === undefined
      ? finding.key
      : finding.field === undefined
        ? finding.table
        : `${finding.table}.${finding.field}`;
  return `${where}: ${subject}: ${finding.message}`;
};

/** What `schema validate` takes (declared in schema.command.ts). */
export interface SchemaValidateOptions {
  json?: boolean;
}

/**
 * `sogoms schema validate <app> [--json]`: reads the app's schema.yaml as the gateway would and
 * prints every finding. Exit 0 without findings, 1 with findings, 2 when it cannot run (no such
 * app, no schema.yaml, an invalid app.yaml).
 */
export const schemaValidateCommand: CliCommand<SchemaValidateOptions> = {
  // A promise either way: failures reject, as from every other command.
  run: (ctx) => new Promise<number>((resolve) => resolve(validate(ctx))),
};

const validate = (ctx: CliContext<SchemaValidateOptions>): number => {
  const { app } = findApp(ctx.configRoot, ctx.args[0]);
  const path = join(app.dir, SCHEMA_FILE);
  const shown = relative(dirname(ctx.configRoot), path);
  if (!existsSync(path)) {
    throw new CliFailure(`${shown} does not exist (write it with \`sogoms schema scan ${app.name}\`)`);
  }
  const { schema, findings } = parseSchemaYaml(readFileSync(path, 'utf8'), shown);
  if (ctx.options.json === true) ctx.out(JSON.stringify(findings, null, 2));
  else if (findings.length === 0) {
    const tables = schema?.tables.length ?? 0;
    ctx.out(`${shown}: ok (${tables} ${tables === 1 ? 'table' : 'tables'})`);
  } else {
    for (const finding of findings) ctx.out(formatFinding(finding));
    ctx.err(`${findings.length} ${findings.length === 1 ? 'finding' : 'findings'} in ${shown}`);
  }
  return findings.length === 0 ? EXIT.ok : EXIT.findings;
};
