import { request } from 'node:http';
import { Injectable } from '@nestjs/common';
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
   * Answers the new row's id, or `'exists'` when the gateway said 409 (the Message-ID column
   * already holds this message: an earlier try made the row).
   */
  async create(
    app: AppConfig,
    table: string,
    owner: { id: string; role: string },
    body: Record<string, unknown>,
  ): Promise<unknown> {
    const token = await this.tokenFor(app, owner);
    const payload = JSON.stringify(body);
    const { status, json } = await new Promise<{ status: number; json: unknown }>((resolve, reject) => {
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
            resolve({ status: res.statusCode ?? 0, json: parsed });
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
    if (status === 201) return answer?.data?.id ?? null;
    if (status === 409) return 'exists';
    const reason = `${status} ${answer?.error?.code ?? ''}: ${answer?.error?.message ?? 'no answer'}${answer?.error?.details === undefined ? '' : ` ${JSON.stringify(answer.error.details).slice(0, 300)}`}`;
    if (status >= 500 || status === 429 || status === 0)
      throw new TemporaryRuleFailure(`POST ${table}: ${reason}`);
    throw new PermanentRuleFailure(`POST ${table} refused: ${reason}`);
  }
}
