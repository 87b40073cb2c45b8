import { Injectable, Logger } from '@nestjs/common';
import type { AuthenticateError, Client, PublishPacket, Subscription } from 'aedes';
import { TokenService } from '@sogoms/auth';
import { PushSettings } from '../push-settings.js';
import { maySubscribe, type ClientIdentity } from './topic-access.js';

/** MQTT 3.1.1 CONNACK codes (Aedes' AuthErrorCode is a `const enum`, which isolated modules cannot import). */
const IDENTIFIER_REJECTED = 2;
const BAD_USERNAME_OR_PASSWORD = 4;

/** Longest delay setTimeout takes; a token living longer is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const refusal = (returnCode: number, message: string): AuthenticateError =>
  Object.assign<Error, { returnCode: number }>(new Error(message), { returnCode });

/** The claims of a token read without checking it: only to pick the app whose key then verifies it. */
const unverifiedClaims = (token: string): { aud?: unknown; exp?: unknown } | null => {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
};

/**
 * The embedded broker's gatekeeper. CONNECT: the password is an access token, verified with the
 * key of the app in its audience exactly as the gateway verifies it (HS256 only, issuer, audience,
 * expiry), so forged, expired, `alg: none` and other apps' tokens are refused; the connection is
 * closed when the token expires. SUBSCRIBE: only the client's own user topics and its app's
 * broadcasts (a refused filter gets SUBACK 128, the connection stays). PUBLISH: never.
 */
@Injectable()
export class ClientAccess {
  private readonly logger = new Logger('ClientAccess');
  private readonly identities = new WeakMap<Client, ClientIdentity>();
  private readonly expiries = new WeakMap<Client, NodeJS.Timeout>();
  /**
   * Client id → the user whose persistent session it names. Were another user allowed to take
   * that id, they would receive the messages queued for the first (or, connecting clean, wipe
   * the session); so any CONNECT with it by someone else is refused.
   */
  private readonly owners = new Map<string, string>();

  constructor(
    private readonly settings: PushSettings,
    private readonly tokens: TokenService,
  ) {}

  authenticate(
    client: Client,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    this.verify(client, password).then(
      () => done(null, true),
      (error: unknown) => done(error as AuthenticateError, false),
    );
  }

  authorizeSubscribe(client: Client, subscription: Subscription): Subscription | null {
    const who = this.identities.get(client);
    return who !== undefined && maySubscribe(who, subscription.topic) ? subscription : null;
  }

  /** Clients only listen: every PUBLISH from one is refused (which disconnects it, as MQTT 3.1.1 has no PUBACK refusal). */
  authorizePublish(client: Client | null, _packet: PublishPacket): Error | null {
    return client === null ? null : new Error('clients may not publish');
  }

  /** The app of an authenticated client (undefined before its CONNECT was accepted). */
  appOf(client: Client): string | undefined {
    return this.identities.get(client)?.app;
  }

  disconnected(client: Client): void {
    clearTimeout(this.expiries.get(client));
    this.expiries.delete(client);
  }

  private async verify(client: Client, password: Buffer | undefined): Promise<void> {
    const token = password?.toString('utf8') ?? '';
    const claims = unverifiedClaims(token);
    const app = typeof claims?.aud === 'string' ? claims.aud : undefined;
    const key = app === undefined ? undefined : this.settings.tokenKey(app);
    if (key === undefined) throw refusal(BAD_USERNAME_OR_PASSWORD, 'not an access token of an app here');
    let verified;
    try {
      verified = await this.tokens.verify(key, token);
    } catch {
      throw refusal(BAD_USERNAME_OR_PASSWORD, 'invalid or expired token');
    }
    const who: ClientIdentity = { app: key.app, user: verified.sub };
    const owner = `${who.app}\n${who.user}`;
    const bound = this.owners.get(client.id);
    if (bound !== undefined && bound !== owner)
      throw refusal(IDENTIFIER_REJECTED, 'this client id belongs to another user');
    // Only persistent sessions are bound: a clean one leaves nothing behind to take (and
    // random ids of clean clients would otherwise fill the map).
    if (!client.clean) this.owners.set(client.id, owner);
    this.identities.set(client, who);
    if (typeof claims?.exp === 'number') this.closeAt(client, claims.exp * 1000);
  }

  private closeAt(client: Client, expiresAtMs: number): void {
    const delay = Math.max(0, expiresAtMs - Date.now());
    const timer = setTimeout(
      () => {
        if (Date.now() < expiresAtMs) return this.closeAt(client, expiresAtMs);
        this.logger.debug(`closing ${client.id}: its token expired`);
        client.close();
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    timer.unref();
    clearTimeout(this.expiries.get(client));
    this.expiries.set(client, timer);
  }
}
