import { runInSlices } from '@sogoms/common';
import type { AppConfig } from '@sogoms/config';
import { dialectOf } from '@sogoms/db/dialect';
import { loadScenarios, loadSchemaFileInSlices, schemaChunkCachePath } from '@sogoms/schema';
import { buildUsersSql } from '../auth/users-sql.js';
import { loadAppCrypt } from '../crud/app-crypt.loader.js';
import { compileAppSteps } from '../crud/compiled-app.js';
import { loginFieldCodecOf } from '../crud/login-field.codec.js';
import { loadQueryOverrides } from '../crud/query-overrides.loader.js';
import { CustomRouteTable } from '../extensions/custom-routes.js';
import { scenarioRoutes, type RuntimeExtender } from '../extensions/runtime-extender.js';
import type { AppRuntime } from '../runtime/app-runtime.js';

/** A turn of the event loop: requests in flight are answered between the steps of a build. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One app's runtime from its configuration: schema parsed (cached), CRUD compiled, scenarios loaded. */
export const buildRuntime = async (
  config: AppConfig,
  displayRoot: string,
  runDir: string | undefined,
): Promise<AppRuntime> => {
  // Compiled here, once per config version: a schema that does not compile throws, and the
  // reload keeps the live snapshot. Schema and compilation run in slices with turns of the event
  // loop between them: a changed 1,000-table file takes about a second of parsing, and requests
  // on the live snapshot are answered meanwhile.
  const schema = await loadSchemaFileInSlices(config.dir, displayRoot, {
    chunkCache: runDir === undefined ? undefined : schemaChunkCachePath(runDir, config.name),
  });
  await nextTurn();
  const dialect = dialectOf(config.database.driver);
  const crypt = loadAppCrypt(config, schema, displayRoot);
  const crud = await runInSlices(
    compileAppSteps(
      schema,
      loadQueryOverrides(config.dir, displayRoot, schema),
      {
        table: config.auth.usersTable,
        idField: config.auth.idField,
        roleField: config.auth.roleField,
      },
      dialect,
      crypt,
    ),
  );
  return {
    config,
    tokenKey: { app: config.name, secret: config.auth.jwtSecret, expiresInS: config.auth.jwtExpiresInS },
    usersSql: buildUsersSql(config.auth, dialect, loginFieldCodecOf(crud, config.auth)),
    crypt,
    scenarios: loadScenarios(config.dir, displayRoot),
    schema,
    crud,
  };
};

/** Without modules: the runtime as built (tests of the routing layer; a gateway without IPC). */
export const scenariosOnly: RuntimeExtender = (runtime) =>
  Promise.resolve({
    runtime: { ...runtime, routes: new CustomRouteTable(scenarioRoutes(runtime.scenarios)) },
    close: () => Promise.resolve(),
  });
