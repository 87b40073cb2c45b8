import { Agent, request } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';

export interface HttpAnswer {
  status: number;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
  ms: number;
}

export interface HttpCall {
  method?: string;
  path: string;
  host?: string;
  token?: string;
  body?: unknown;
  timeoutMs?: number;
  agent?: Agent;
}

/** One HTTP call to 127.0.0.1:port with full control of the Host header (fetch forbids setting it). */
export const httpCall = (port: number, call: HttpCall): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (call.host !== undefined) headers.host = call.host;
    if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
    const payload = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const started = performance.now();
    const req = request(
      { host: '127.0.0.1', port, method: call.method ?? 'GET', path: call.path, headers, agent: call.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json, ms: performance.now() - started });
        });
      },
    );
    req.setTimeout(call.timeoutMs ?? 10_000, () =>
      req.destroy(new Error(`no answer within ${call.timeoutMs ?? 10_000} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });

/** `404 NOT_FOUND: Route not found` from an error envelope, or the status and the start of the body. */
export const describeAnswer = (answer: HttpAnswer): string => {
  const body = answer.json as { error?: { code?: string; message?: string } } | undefined;
  if (body?.error?.code !== undefined)
    return `${answer.status} ${body.error.code}: ${body.error.message ?? ''}`.trim();
  return `${answer.status} ${answer.text.slice(0, 120)}`.trim();
};

/** A TCP port that was free a moment ago on 127.0.0.1. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** `count` distinct ports that were free a moment ago (all held open at once, so none repeats). */
export const freePorts = async (count: number): Promise<number[]> => {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it is true; false once `timeoutMs` passed. */
export const waitFor = async (
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(everyMs);
  }
  return false;
};
