import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { SogomsError } from '../sogoms-error.js';

export interface GuardedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  /** Why an address may not be reached (null: it may); `blockedReason` unless the job allows private addresses. */
  refuse: (address: string) => string | null;
  maxResponseBytes: number;
  maxRedirects: number;
  signal: AbortSignal;
}

export interface GuardedResponse {
  status: number;
  /** The URL that answered (after redirects). */
  url: string;
  /** At most maxResponseBytes of the body. */
  body: string;
  truncated: boolean;
}

/** A request the SSRF rule refuses: never retried (the address will not change by waiting). */
export class RefusedAddressError extends SogomsError {
  constructor(message: string) {
    super('FORBIDDEN', message);
    this.name = 'RefusedAddressError';
  }
}

/**
 * The address to connect to: the host resolved once, every address it resolves to checked, and
 * the connection made to the checked address (a second lookup could answer another one).
 */
const resolveChecked = async (
  hostname: string,
  refuse: GuardedRequest['refuse'],
): Promise<{ address: string; family: number }> => {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const addresses =
    isIP(bare) !== 0
      ? [{ address: bare, family: isIP(bare) }]
      : await lookup(bare, { all: true, verbatim: true });
  if (addresses.length === 0) throw new SogomsError('UNAVAILABLE', `${hostname} does not resolve`);
  for (const { address } of addresses) {
    const reason = refuse(address);
    if (reason !== null)
      throw new RefusedAddressError(
        `refused: ${hostname} resolves to ${reason} (allow_private: true allows it)`,
      );
  }
  return addresses[0];
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const once = (
  url: URL,
  target: { address: string; family: number },
  request: GuardedRequest,
  method: string,
  body: string | null,
): Promise<{ response: IncomingMessage; body: string; truncated: boolean }> =>
  new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { ...request.headers, host: url.host };
    if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
    const req = send(
      {
        method,
        host: target.address,
        family: target.family,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        headers,
        servername: isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0 ? url.hostname : undefined,
        signal: request.signal,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        response.on('data', (chunk: Buffer) => {
          if (size >= request.maxResponseBytes) {
            truncated = true;
            response.destroy();
            return;
          }
          const room = request.maxResponseBytes - size;
          if (chunk.length > room) truncated = true;
          chunks.push(chunk.subarray(0, room));
          size += Math.min(chunk.length, room);
          if (truncated) response.destroy();
        });
        const done = (): void =>
          resolve({ response, body: Buffer.concat(chunks).toString('utf8'), truncated });
        response.on('end', done);
        response.on('close', done);
        response.on('error', (error) => (truncated ? done() : reject(error)));
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });

/**
 * One HTTP(S) request of a job under the SSRF rule: the host (and every redirect's host) is
 * resolved and each address checked before connecting; the body read is capped; `signal` ends it.
 */
export const guardedRequest = async (request: GuardedRequest): Promise<GuardedResponse> => {
  let url = new URL(request.url);
  let method = request.method;
  let body = request.body;
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new RefusedAddressError(`refused: ${url.protocol} URLs are not followed`);
    const target = await resolveChecked(url.hostname, request.refuse);
    const answer = await once(url, target, request, method, body);
    const status = answer.response.statusCode ?? 0;
    const location = answer.response.headers.location;
    if (!REDIRECTS.has(status) || location === undefined)
      return { status, url: url.toString(), body: answer.body, truncated: answer.truncated };
    if (hop >= request.maxRedirects)
      throw new SogomsError(
        'BAD_REQUEST',
        `more than ${request.maxRedirects} redirects (last to ${location})`,
      );
    url = new URL(location, url);
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET';
      body = null;
    }
  }
};
