import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: any;
}

export interface HttpCall {
  method?: string;
  path: string;
  host?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
}

/** A plain HTTP call with full control of the Host header (fetch forbids setting it). */
export const httpCall = (port: number, call: HttpCall): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...call.headers };
    if (call.host !== undefined) headers.host = call.host;
    let payload: Buffer | undefined;
    if (typeof call.body === 'string' || Buffer.isBuffer(call.body)) payload = Buffer.from(call.body);
    else if (call.body !== undefined) {
      payload = Buffer.from(JSON.stringify(call.body));
      headers['content-type'] ??= 'application/json';
    }
    if (payload !== undefined) headers['content-length'] = String(payload.length);
    const req = request(
      { host: '127.0.0.1', port, method: call.method ?? 'GET', path: call.path, headers },
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
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
