import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The files of swagger-ui-dist the page uses, with their content types; nothing else is served. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

export interface Asset {
  type: string;
  body: Buffer;
}

/** Swagger UI from the installed swagger-ui-dist package (no CDN), read once and kept in memory. */
export class SwaggerUiAssets {
  private readonly cache = new Map<string, Asset>();
  private readonly dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

  /** The asset named `file`, or undefined for any other name. */
  get(file: string): Asset | undefined {
    const type = ASSETS[file];
    if (type === undefined) return undefined;
    let asset = this.cache.get(file);
    if (asset === undefined) {
      asset = { type, body: readFileSync(join(this.dir, file)) };
      this.cache.set(file, asset);
    }
    return asset;
  }

  /**
   * The page at `{base}/_docs`. Its URLs are relative to it (`_docs/...`, `_openapi.json`), so it
   * works under any base path; the document is fetched with the page's own credentials.
   */
  page(title: string): string {
    const safeTitle = title.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${safeTitle}</title>
<link rel="stylesheet" href="_docs/swagger-ui.css">
<link rel="icon" type="image/png" href="_docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="_docs/swagger-ui-bundle.js"></script>
<script src="_docs/swagger-ui-standalone-preset.js"></script>
<script>
window.ui = SwaggerUIBundle({
  url: '_openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
</script>
</body>
</html>
`;
  }
}
