import { SogomsError } from '@sogoms/common';
import { loadGlobalConfig, normalizeHost } from '@sogoms/config';
import { provisionApp, validateNewAppRequest, type NewAppRequest } from '@sogoms/provisioning';
import { CliFailure, EXIT, type CliCommand, type CliContext } from '../cli-context.js';
import { withAppDatabase } from '../database-connection.js';
import { parseDatabaseUrl, redactedUrl } from '../database-url.js';
import { describeReload, SupervisorClient } from '../supervisor-client.js';

/** What `app create` takes (declared in app.command.ts; commander enforces the required ones). */
export interface AppCreateOptions {
  databaseUrl: string;
  host: string;
  authTable?: string;
  basePath?: string;
  addRoleColumn?: boolean;
}

/** How the CLI names a field of the request in its messages (@sogoms/provisioning's details.field). */
const FIELD_PREFIX: Readonly<Record<string, string>> = {
  name: 'app name ',
  hosts: '--host: ',
  basePath: '--base-path ',
  authTable: '--auth-table ',
};

/** A provisioning error as the CLI's one line: a value's problem gets the flag it came from. */
const cliFailureOf = (error: SogomsError): CliFailure => {
  const field =
    typeof error.details === 'object' && error.details !== null && 'field' in error.details
      ? String(error.details.field)
      : undefined;
  const prefix = error.code === 'VALIDATION_FAILED' && field !== undefined ? FIELD_PREFIX[field] : undefined;
  // The users table could not be made: naming an existing one is the CLI's --auth-table.
  const hint = error.code === 'FORBIDDEN' && field === 'authTable' ? ' (--auth-table)' : '';
  return new CliFailure(`${prefix ?? ''}${error.message}${hint}`);
};

const parseRequest = (ctx: CliContext<AppCreateOptions>): NewAppRequest => {
  const name = ctx.args[0];
  if (name === undefined)
    throw new CliFailure('name the new app, e.g. `sogoms app create shop --database-url ...`');
  if (ctx.args.length > 1) throw new CliFailure(`one app name, got ${ctx.args.join(' ')}`);
  return {
    name,
    hosts: ctx.options.host.split(','),
    basePath: ctx.options.basePath ?? '/api',
    database: parseDatabaseUrl(ctx.options.databaseUrl),
    authTable: ctx.options.authTable,
    addRoleColumn: ctx.options.addRoleColumn === true,
  };
};

const provisioningStep = async <T>(step: () => T | Promise<T>): Promise<T> => {
  try {
    return await step();
  } catch (error) {
    throw error instanceof SogomsError ? cliFailureOf(error) : error;
  }
};

/**
 * `sogoms app create <name> --database-url mysql://user:pass@host:port/db|sqlite:file --host h1[,h2]
 * [--auth-table T] [--base-path /api] [--add-role-column]`: brings an existing database in
 * (@sogoms/provisioning does the work; the admin shares it). Checks everything it can before
 * writing anything: the arguments, that the name and hosts are free, that the database answers.
 * Then it makes sure there is a users table, writes config/apps/{name}/ (app.yaml, secrets,
 * schema.yaml) and asks a running supervisor to reload.
 */
export const appCreateCommand: CliCommand<AppCreateOptions> = {
  async run(ctx) {
    const request = parseRequest(ctx);
    await provisioningStep(() => validateNewAppRequest(ctx.configRoot, request));
    const { runDir } = loadGlobalConfig(ctx.configRoot);

    // A direct connection (the CLI needs no running db service); SQLite opened for writing, as a
    // missing users table is created in the file.
    const created = await withAppDatabase(
      { name: request.name, database: request.database },
      (db) =>
        provisioningStep(() =>
          provisionApp(ctx.configRoot, request, {
            name: db.name,
            engine: db.engine,
            introspect: () => db.introspect(),
            execute: async (sql) => {
              await db.execute(sql);
            },
          }),
        ),
      { write: true },
    );

    const hosts = request.hosts.map((host) => normalizeHost(host) ?? host);
    ctx.out(
      `created app '${request.name}' for ${redactedUrl(request.database)}, hosts ${hosts.join(', ')}, base path ${request.basePath}`,
    );
    for (const note of created.notes) ctx.out(`  ${note}`);
    ctx.out(`  wrote ${created.appYaml}`);
    ctx.out(`  wrote ${created.schemaYaml} (${created.tables} tables)`);
    ctx.out(`  ${describeReload(await new SupervisorClient(runDir).requestReload())}`);
    ctx.out(`next: sogoms user create ${request.name} --email you@example.com --password '...' --role admin`);
    return EXIT.ok;
  },
};
