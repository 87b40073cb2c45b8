import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { problemsOf } from './testing/config-problems.js';
import { loadAppConfigs } from './config.loader.js';
import { createConfigFixture, type ConfigFixture } from './testing/config.fixture.js';

describe('app.yaml smtp', () => {
  let fx: ConfigFixture;
  beforeEach(() => (fx = createConfigFixture()));
  afterEach(() => fx.remove());

  it('is null when absent: the app sends no mail', () => {
    fx.app('shop');
    expect(loadAppConfigs(fx.root)[0].smtp).toBeNull();
  });

  it('fills in defaults and takes host and port from the environment when set', () => {
    fx.app('shop', {
      smtp: {
        host: '127.0.0.1',
        host_env: 'SHOP_SMTP_HOST',
        port: 2525,
        port_env: 'SHOP_SMTP_PORT',
        from: 'a@b.test',
      },
    });
    expect(loadAppConfigs(fx.root, { env: { SHOP_SMTP_PORT: '2626' } })[0].smtp).toEqual({
      host: '127.0.0.1',
      port: 2626,
      secure: false,
      starttls: 'opportunistic',
      auth: null,
      from: 'a@b.test',
      replyTo: null,
      pool: 2,
      ratePerSecond: 0,
      tls: { caFile: null, rejectUnauthorized: true },
      maxAttempts: 8,
      historyDays: 30,
    });
  });

  it('reports bad values with file and line, never showing the password', () => {
    fx.app(
      'shop',
      [
        'name: shop',
        'hosts: [shop.localhost]',
        'database: { name: shop_db }',
        'auth: { jwt_secret: shop-test-secret-0123456789abcdef-0123456789 }',
        'smtp:',
        '  host: mail.test',
        '  starttls: sometimes',
        '  auth: { user: u, pass: 7 }',
        '  from: a@b.test',
        '',
      ].join('\n'),
    );
    const problems = problemsOf(() => loadAppConfigs(fx.root));
    expect(problems).toEqual([
      expect.objectContaining({ key: 'smtp.starttls', line: 7, got: '"sometimes"' }),
      expect.objectContaining({ key: 'smtp.auth.pass', line: 8 }),
    ]);
  });

  it('refuses starttls: required with implicit TLS', () => {
    fx.app('shop', { smtp: { host: 'mail.test', from: 'a@b.test', secure: true, starttls: 'required' } });
    expect(problemsOf(() => loadAppConfigs(fx.root))[0]).toMatchObject({ key: 'smtp.starttls' });
  });

  it('refuses auth.welcome_mail without smtp:', () => {
    fx.app('shop', { auth: { welcome_mail: 'welcome' } });
    expect(problemsOf(() => loadAppConfigs(fx.root))[0]).toMatchObject({ key: 'auth.welcome_mail' });
  });
});
