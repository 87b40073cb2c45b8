// One bundle per service entry: dist/apps/{app}/src/main.js (swc's output) → dist/bundle/{app}/main.js.
// A Nest service loads about 575 of our ES modules at start; as one file that is about 0.3 s of CPU
// less per process (docs/bench.md, "50 apps: the start"). Only our code is bundled: node_modules
// stay imports, so packages resolve as before (Nest's optional requires, createRequire lookups).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';

/** Where the bundle of an app's entry goes, relative to the project root. */
export const bundleEntry = (app) => `dist/bundle/${app}/main.js`;

/** swc's source map beside each file, so the bundle's map leads to the .ts sources. */
const swcSourceMaps = {
  name: 'swc-source-maps',
  load(id) {
    if (!id.endsWith('.js') || !existsSync(`${id}.map`)) return null;
    return { code: readFileSync(id, 'utf8'), map: readFileSync(`${id}.map`, 'utf8') };
  },
};

/** The apps with an entry in dist/ (every apps/{app}/src/main.ts after swc). */
const builtApps = (projectRoot) =>
  readdirSync(join(projectRoot, 'apps'), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(projectRoot, 'dist/apps', entry.name, 'src/main.js')),
    )
    .map((entry) => entry.name)
    .sort();

/**
 * Bundles every app's entry. One build per entry rather than one for all: chunks shared between
 * entries would be evaluated before the entry's own first import ('reflect-metadata'), and
 * decorator metadata written before it is lost. Each bundle is one file, with its external imports
 * (reflect-metadata first) ahead of all of our code, as in the per-file build; only dynamic
 * imports (the CLI's commands, the gateway's in-process db) become chunks, and stay lazy.
 */
export const bundleServices = async (projectRoot) => {
  await Promise.all(
    builtApps(projectRoot).map((app) =>
      build({
        cwd: projectRoot,
        input: join(projectRoot, 'dist/apps', app, 'src/main.js'),
        platform: 'node',
        // Relative and absolute specifiers are ours; anything else is a package or node: builtin.
        external: (id) => !id.startsWith('.') && !id.startsWith('/'),
        plugins: [swcSourceMaps],
        logLevel: 'warn',
        output: {
          dir: join(projectRoot, 'dist/bundle', app),
          format: 'esm',
          sourcemap: true,
          // As swc's keepClassNames: Nest and error names read a class's name.
          keepNames: true,
          // Stable names and real export names: a process started from the previous build that
          // imports a chunk later finds the file it expects, as with the per-file output.
          chunkFileNames: 'chunks/[name].js',
          minifyInternalExports: false,
        },
      }),
    ),
  );
};
