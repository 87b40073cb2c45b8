import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { problemsOf } from './testing/config-problems.js';
import { loadAppConfigs, loadGlobalConfig } from './config.loader.js';
import { createConfigFixture, type ConfigFixture } from './testing/config.fixture.js';

describe('push configuration', () => {
  let fx: ConfigFixture;
  beforeEach(() => (fx = createConfigFixture()));
  afterEach(() => fx.remove());

  it('app.yaml push: is null when absent, and reads tables with their channel and audience', () => {
    fx.app('shop');
    fx.app('news', {
      push: { tables: { tasks: { channel: 'tasks' }, posts: { channel: 'feed', audience: 'broadcast' } } },
    });
    const [news, shop] = loadAppConfigs(fx.root);
    expect(shop.push).toBeNull();
    expect(news.push).toEqual({
      tables: {
        tasks: { channel: 'tasks', audience: 'owner' },
        posts: { channel: 'feed', audience: 'broadcast' },
      },
    });
  });

  it('app.yaml push: names the key of a bad table name, channel or audience', () => {
    fx.app('shop', {
      push: {
        tables: {
          'bad-name': { channel: 'x' },
          tasks: { channel: 'a/b' },
          tags: { channel: 't', audience: 'all' },
        },
      },
    });
    expect(problemsOf(() => loadAppConfigs(fx.root)).map((p) => p.key)).toEqual([
      'push.tables.bad-name',
      'push.tables.tasks.channel',
      'push.tables.tags.audience',
    ]);
  });

  it('sogoms.yaml push: defaults, and external needs its url', () => {
    fx.global({});
    expect(loadGlobalConfig(fx.root).push).toEqual({
      broker: 'embedded',
      host: '0.0.0.0',
      port: 1884,
      wsPort: 9001,
      retentionHours: 24,
      external: null,
    });
    fx.global({ push: { broker: 'external' } });
    expect(problemsOf(() => loadGlobalConfig(fx.root))[0]).toMatchObject({ key: 'push.external' });
    fx.global({
      push: { broker: 'external', external: { url: 'mqtt://127.0.0.1:1883', username: 'u', password: 'p' } },
    });
    expect(loadGlobalConfig(fx.root).push.external).toEqual({
      url: 'mqtt://127.0.0.1:1883',
      username: 'u',
      password: 'p',
      clientId: 'sogoms-push',
    });
    fx.global({ push: { port: 9001 } });
    expect(problemsOf(() => loadGlobalConfig(fx.root))[0]).toMatchObject({ key: 'push.ws_port' });
  });
});
