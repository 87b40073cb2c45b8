import { Injectable } from '@nestjs/common';
import type { TokenKey } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import type { AppConfig, AppPushConfig, LoadedConfig, PushConfig } from '@sogoms/config';
import { dialectOf, type SqlDialect } from '@sogoms/db/dialect';

/** An app that publishes events: its configuration with the `push:` section present. */
export type PushApp = AppConfig & { push: AppPushConfig };

/**
 * The apps the push service knows and its own settings (sogoms.yaml `push:`). A reload (SIGHUP)
 * swaps the apps in one assignment; the broker's ports stay as they started.
 */
@Injectable()
export class PushSettings {
  private apps = new Map<string, AppConfig>();
  private settings!: PushConfig;

  replace(config: LoadedConfig): void {
    this.apps = new Map(config.apps.map((app) => [app.name, app]));
    this.settings = config.global.push;
  }

  get push(): PushConfig {
    return this.settings;
  }

  /** The key that verifies the app's access tokens (as the gateway does), or undefined for an unknown app. */
  tokenKey(name: string): TokenKey | undefined {
    const app = this.apps.get(name);
    return app === undefined
      ? undefined
      : { app: app.name, secret: app.auth.jwtSecret, expiresInS: app.auth.jwtExpiresInS };
  }

  /** Any app of the server: clients of an app without `push:` may still receive notices. */
  app(name: string): AppConfig {
    const app = this.apps.get(name);
    if (app === undefined) throw new SogomsError('NOT_FOUND', `Unknown app '${name}'`);
    return app;
  }

  /** Apps with `push:`: the ones whose outbox is kept. */
  pushApps(): PushApp[] {
    return [...this.apps.values()].filter((app): app is PushApp => app.push !== null);
  }

  /** NOT_FOUND for an unknown app, BAD_REQUEST for one without `push:`. */
  pushApp(name: string): PushApp {
    const app = this.app(name);
    if (app.push === null)
      throw new SogomsError(
        'BAD_REQUEST',
        `App '${name}' publishes no events: its app.yaml has no push: section`,
      );
    return app as PushApp;
  }

  dialect(app: AppConfig): SqlDialect {
    return dialectOf(app.database.driver);
  }
}
