import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@sogoms/config';
import { startupBanner } from './startup-banner.js';

describe('startupBanner', () => {
  // The project's own config: the demo app prokov documents its demo user in its seed SQL.
  const root = fileURLToPath(new URL('../../../config', import.meta.url));
  const { global, apps } = loadConfig(root, { env: {} });

  it("shows each app's URL, hosts and the demo login once the gateway is up", () => {
    expect(startupBanner(global, apps, ['logs', 'db', 'gateway'])).toEqual([
      'SOGOMS is up: http://localhost:8080/api (app prokov, hosts prokov.localhost, localhost) — demo login demo@prokov.test / prokov-demo',
    ]);
  });

  it('names the healthy services when there is no gateway, and says when there are no apps', () => {
    expect(startupBanner(global, apps, ['alpha', 'web'])).toEqual(['SOGOMS is up: alpha, web healthy']);
    expect(startupBanner(global, [], ['gateway'])).toEqual([
      'SOGOMS is up: http://localhost:8080 (no apps yet: add config/apps/{app}/app.yaml, then npx sogoms reload)',
    ]);
  });

  it('shows no demo login for an app without a documented one', () => {
    const app = { ...apps[0], database: { ...apps[0].database, init: [] }, hosts: ['shop.example.com'] };
    expect(startupBanner(global, [app], ['gateway'])).toEqual([
      'SOGOMS is up: http://shop.example.com:8080/api (app prokov, hosts shop.example.com)',
    ]);
  });
});
