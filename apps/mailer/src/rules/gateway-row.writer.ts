import { request } from 'node:http';
import { Injectable } from '@nestjs/common';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, isRecord } from '@sogoms/common';
import type { AppConfig } from '@sogoms/config';
import { MailerSettings } from '../mailer-settings.js';
import { PermanentRuleFailure, TemporaryRuleFailure } from './rule-failure.js';

const TOKEN_TTL_S = 60;
const ANSWER_CAP = 64 * 1024;
const TIMEOUT_MS = 10_000;

interface TokenSigner {
  sign(
    key: { app: string; secret: string; expiresInS: number },
    claims: { sub: string; role: string },
  ): Promise<string>;
}

/** What a create_row did: made the row now, or found it made by an earlier try (`id` when known). */
export interface RowWritten {
  id: string | number | null;
  earlier: boolean;
}

/** Answers of the gateway that mean "an earlier try made this row": nothing is to be done again. */
const MADE_EARLIER = new Set(['CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENT_ROW_GONE']);

/**
 * Makes a row the way a client of the app would: `POST {base_path}/{table}` to the gateway with a
 * short-lived token of the owner. So the row passes every rule of the REST API (types, required
 * fields, the owner rule, modules' hooks), and the mailer holds no copy of those rules.
 */
@Injectable()
export class GatewayRowWriter {
  private signer: TokenSigner | null = null;

  constructor(private readonly settings: MailerSettings) {}

  private async tokenFor(app: AppConfig, owner: { id: string; role: string }): Promise<string> {
    // Loaded at the first row: a mailer without mail rules does not carry the JWT library.
    if (this.signer === null) this.signer = new (await import('@sogoms/auth')).TokenService();
    return this.signer.sign(
      { app: app.name, secret: app.auth.jwtSecret, expiresInS: TOKEN_TTL_S },
      { sub: owner.id, role: owner.role },
    );
  }

  /**
   * POSTs the row with `idempotencyKey`. An earlier try with the key made it already when the
   * gateway replays it (201, Idempotent-Replayed), when the body has changed since (422
   * IDEMPOTENCY_KEY_REUSED: the rule's fields read other values now), when that row was
   * deleted since (410), or when a unique column refuses it (409 CONFLICT: the Message-ID column
   * of `message_id_field`, also once the key has expired).
   */
  async create(
    app: AppConfig,
    table: string,
    owner: { id: string; role: string },
    body: Record<string, unknown>,
    idempotencyKey: string,
  ): Promise<RowWritten> {
    const token = await this.tokenFor(app, owner);
    const payload = JSON.stringify(body);
    const { status, replayed, json } = await new Promise<{
      status: number;
      replayed: boolean;
      json: unknown;
    }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.settings.global.gateway.port,
          method: 'POST',
          path: `${app.basePath}/${encodeURIComponent(table)}`,
          headers: {
            host: app.hosts[0],
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            [IDEMPOTENCY_KEY_HEADER]: idempotencyKey,
          },
          timeout: TIMEOUT_MS,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (text.length < ANSWER_CAP) text += chunk;
          });
          res.on('end', () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = null;
            }
            resolve({
              status: res.statusCode ?? 0,
              replayed: res.headers[IDEMPOTENT_REPLAYED_HEADER] === 'true',
              json: parsed,
            });
          });
        },
      );
      req.once('timeout', () => req.destroy(new Error('the gateway did not answer in time')));
      req.once('error', reject);
      req.end(payload);
    }).catch((error: unknown) => {
      throw new TemporaryRuleFailure(`the gateway cannot be reached: ${(error as Error).message}`);
    });
    const answer = json as {
      data?: { id?: unknown };
      error?: { code?: string; message?: string; details?: unknown };
    } | null;
    if (status === 201) {
      const id = answer?.data?.id;
      return { id: typeof id === 'string' || typeof id === 'number' ? id : null, earlier: replayed };
    }
    const code = answer?.error?.code ?? '';
    // A deadlock is CONFLICT too, but says to retry: the row was not made.
    const retryable = isRecord(answer?.error?.details) && answer.error.details.retryable === true;
    if (MADE_EARLIER.has(code) && !retryable) return { id: null, earlier: true };
    const reason = `${status} ${answer?.error?.code ?? ''}: ${answer?.error?.message ?? 'no answer'}${answer?.error?.details === undefined ? '' : ` ${JSON.stringify(answer.error.details).slice(0, 300)}`}`;
    if (status >= 500 || status === 429 || status === 0 || retryable)
      throw new TemporaryRuleFailure(`POST ${table}: ${reason}`);
    throw new PermanentRuleFailure(`POST ${table} refused: ${reason}`);
  }
}
