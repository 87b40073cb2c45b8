#!/usr/bin/env node
// sogoms: the command-line tool. Control commands talk to the running supervisor (sogoctl) over
// its control socket, {run_dir}/sogoctl.sock: one JSON request per line, one JSON answer per line.
// Commands live in the `commands` table; a group (e.g. a future `schema` or `app`) holds its own
// table of subcommands, so new ones slot in without touching the dispatcher.
// Exit codes: 0 ok, 1 the command failed (or bad usage), 2 the supervisor is not running.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { parse } from 'yaml';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_NOT_RUNNING = 2;

class CliError extends Error {
  constructor(message, exitCode = EXIT_FAILED) {
    super(message);
    this.exitCode = exitCode;
  }
}

// ---------------------------------------------------------------------------------------------
// Arguments: positionals plus --config <root> (or --config=<root>), --json, --help.

const parseArgs = (argv) => {
  const positionals = [];
  const options = { config: './config', json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config') {
      if (argv[i + 1] === undefined) throw new CliError('--config needs a folder (the config root)');
      options.config = argv[++i];
    } else if (arg.startsWith('--config=')) options.config = arg.slice('--config='.length);
    else if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg.startsWith('-')) throw new CliError(`unknown option ${arg}`);
    else positionals.push(arg);
  }
  return { positionals, options };
};

// ---------------------------------------------------------------------------------------------
// The control socket.

/** {run_dir} from {configRoot}/sogoms.yaml (default ../run, relative to the config root). */
const runDirOf = (configRoot) => {
  const file = join(configRoot, 'sogoms.yaml');
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return resolve(configRoot, '../run');
    throw new CliError(`cannot read ${file} (${error.code})`);
  }
  let settings;
  try {
    settings = parse(text) ?? {};
  } catch (error) {
    throw new CliError(`${file} is not valid YAML: ${error.message.split('\n')[0]}`);
  }
  const runDir = settings.run_dir ?? '../run';
  if (typeof runDir !== 'string' || runDir === '') throw new CliError(`${file}: run_dir: expected a path`);
  return resolve(configRoot, runDir);
};

const shown = (path) => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
};

/** Sends one request; resolves the `data` of a success, throws CliError for a failure or no supervisor. */
const control = (socketPath, request, timeoutMs) =>
  new Promise((resolvePromise, reject) => {
    const socket = connect(socketPath);
    let buffered = '';
    let settled = false;
    const settle = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn(value);
    };
    const timer = setTimeout(
      () => settle(reject, new CliError(`no answer from the supervisor within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      let response;
      try {
        response = JSON.parse(buffered.slice(0, newline));
      } catch {
        settle(reject, new CliError('the supervisor sent an answer that is not JSON'));
        return;
      }
      if (response.success === true) settle(resolvePromise, response.data);
      else settle(reject, new CliError(response.error?.message ?? 'the supervisor refused the request'));
    });
    socket.once('error', (error) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') {
        const why = error.code === 'ENOENT' ? 'no control socket' : 'nobody answers';
        settle(
          reject,
          new CliError(
            `the supervisor is not running (${why} at ${shown(socketPath)}); start it with npm start`,
            EXIT_NOT_RUNNING,
          ),
        );
      } else settle(reject, new CliError(`cannot talk to the supervisor: ${error.code ?? error.message}`));
    });
    socket.once('close', () =>
      settle(reject, new CliError('the supervisor closed the connection without answering')),
    );
  });

const controlSocketOf = (ctx) => join(runDirOf(ctx.configRoot), 'sogoctl.sock');

// ---------------------------------------------------------------------------------------------
// Output helpers.

const formatUptime = (seconds) => {
  if (seconds === null || seconds === undefined) return '-';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${two(h)}h`;
  if (h > 0) return `${h}h ${two(m)}m`;
  if (m > 0) return `${m}m ${two(s)}s`;
  return `${s}s`;
};

const table = (header, rows) => {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

// ---------------------------------------------------------------------------------------------
// Commands. Each: { usage, summary, run(ctx) → exit code }. ctx: { args, options, configRoot, out }.

const SHORT_TIMEOUT_MS = 10_000;
// A restart waits for the graceful stop and for the service to be healthy again; stop for all of them.
const LONG_TIMEOUT_MS = 120_000;

const status = {
  usage: 'status [--json]',
  summary: 'every service: pid, uptime, restarts, healthy (--json: the raw status object)',
  async run(ctx) {
    const result = await control(controlSocketOf(ctx), { cmd: 'status' }, SHORT_TIMEOUT_MS);
    if (ctx.options.json) {
      ctx.out(JSON.stringify(result, null, 2));
      return EXIT_OK;
    }
    const rows = result.services.map((s) => [
      s.name,
      s.pid === null ? '-' : String(s.pid),
      formatUptime(s.uptime_s),
      String(s.restarts),
      s.healthy ? 'yes' : 'no',
    ]);
    ctx.out(table(['SERVICE', 'PID', 'UPTIME', 'RESTARTS', 'HEALTHY'], rows));
    return EXIT_OK;
  },
};

const restart = {
  usage: 'restart <service>',
  summary: 'graceful stop (SIGTERM, SIGKILL after the grace period), start, wait until healthy',
  async run(ctx) {
    const [service, ...extra] = ctx.args;
    if (service === undefined || extra.length > 0) throw new CliError(`usage: sogoms ${this.usage}`);
    const { service: after } = await control(
      controlSocketOf(ctx),
      { cmd: 'restart', service },
      LONG_TIMEOUT_MS,
    );
    if (!after.healthy) {
      ctx.out(
        `${after.name} restarted (pid ${after.pid ?? '-'}) but is not healthy yet; see the supervisor's output`,
      );
      return EXIT_FAILED;
    }
    ctx.out(`${after.name} restarted: pid ${after.pid}, healthy`);
    return EXIT_OK;
  },
};

const reload = {
  usage: 'reload',
  summary: 'ask the services to re-read their configuration (sends each its reload_signal, e.g. SIGHUP)',
  async run(ctx) {
    // Waits for the services' acknowledgements: a large schema takes a moment to rebuild.
    const { services } = await control(controlSocketOf(ctx), { cmd: 'reload' }, LONG_TIMEOUT_MS);
    if (services.length === 0) {
      ctx.out('no service takes a reload signal (reload_signal in sogoctl.yaml)');
      return EXIT_FAILED;
    }
    for (const s of services) {
      if (!s.signalled) ctx.out(`${s.name}: not running, not signalled`);
      else if (s.applied === true) ctx.out(`${s.name}: reloaded (pid ${s.pid})`);
      else if (s.applied === false) ctx.out(`${s.name}: reload refused, old configuration kept: ${s.error}`);
      else ctx.out(`${s.name}: ${s.signal} sent (pid ${s.pid})`);
    }
    return services.every((s) => s.signalled && s.applied !== false) ? EXIT_OK : EXIT_FAILED;
  },
};

const stop = {
  usage: 'stop',
  summary: 'stop every service in reverse dependency order, then the supervisor',
  async run(ctx) {
    const { stopped } = await control(controlSocketOf(ctx), { cmd: 'stop' }, LONG_TIMEOUT_MS);
    ctx.out(`stopped ${stopped.join(', ')}; the supervisor exits`);
    return EXIT_OK;
  },
};

const commands = { status, restart, reload, stop };

// ---------------------------------------------------------------------------------------------
// Dispatcher.

const usageOf = (table, prefix = 'sogoms') =>
  Object.entries(table).flatMap(([name, command]) =>
    command.subcommands === undefined
      ? [`  ${prefix} ${command.usage}`.padEnd(40) + `  ${command.summary}`]
      : usageOf(command.subcommands, `${prefix} ${name}`),
  );

const help = () =>
  [
    'usage:',
    ...usageOf(commands),
    '  sogoms schema|app|user ...                see `sogoms schema help`',
    '',
    'options: --config <root> (default ./config)',
  ].join('\n');

/** Finds the command for the positionals, descending into groups; returns it and the remaining args. */
const resolveCommand = (table, positionals) => {
  const [name, ...rest] = positionals;
  const command = Object.hasOwn(table, name ?? '') ? table[name] : undefined;
  if (command === undefined) return null;
  return command.subcommands === undefined
    ? { command, args: rest }
    : resolveCommand(command.subcommands, rest);
};

const main = async (argv) => {
  const out = (text) => process.stdout.write(`${text}\n`);
  try {
    const { positionals, options } = parseArgs(argv);
    if (options.help || positionals.length === 0 || positionals[0] === 'help') {
      out(help());
      return positionals.length === 0 && !options.help ? EXIT_FAILED : EXIT_OK;
    }
    const found = resolveCommand(commands, positionals);
    if (found === null) throw new CliError(`unknown command: ${positionals.join(' ')}\n${help()}`);
    return await found.command.run({ args: found.args, options, configRoot: resolve(options.config), out });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`sogoms: ${error.message}\n`);
    return error.exitCode;
  }
};

// Schema, app and user commands are TypeScript (they share the services' libs): build if needed, then run.
const COMPILED_GROUPS = new Set(['schema', 'app', 'user']);

const runCompiled = async (argv) => {
  const projectRoot = resolve(import.meta.dirname, '..');
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [join(projectRoot, 'scripts/build.mjs'), '--if-needed'], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
  const { pathToFileURL } = await import('node:url');
  const cli = await import(pathToFileURL(join(projectRoot, 'dist/apps/cli/src/main.js')).href);
  return cli.runCli(argv);
};

const argv = process.argv.slice(2);
process.exitCode = COMPILED_GROUPS.has(argv.find((a) => !a.startsWith('-')) ?? '')
  ? await runCompiled(argv)
  : await main(argv);
