import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { freePort } from './support/free-port.js';
import { createDemoDatabase, scanSchemaYaml } from './support/schema-scan.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';
import { PROJECT_ROOT } from './support/test-config.factory.js';

const NGINX = '/usr/sbin/nginx';
const DB = `sogoms_test_nginx_${randomBytes(3).toString('hex')}`;
const SECRET = 'nginx-e2e-secret-0123456789abcdef0123456789';
const APP_HOST = 'shop.test';
const ADMIN_HOST = 'admin.shop.test';
// The client comes from another loopback address than nginx does, so the two can be told apart.
const CLIENT_ADDRESS = '127.0.0.2';

interface Answer {
  status: number;
  text: string;
  json: any;
}

/** An HTTP call from CLIENT_ADDRESS with full control of the headers. */
const callFrom = (
  port: number,
  call: { method?: string; path: string; host: string; headers?: Record<string, string>; body?: unknown },
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const payload = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
    const headers: Record<string, string> = { host: call.host, ...call.headers };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const req = request(
      {
        host: '127.0.0.1',
        port,
        localAddress: CLIENT_ADDRESS,
        method: call.method ?? 'GET',
        path: call.path,
        headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });

/** deploy/nginx/sogoms.conf with this test's ports, hosts and body limit, as an operator would edit it. */
const templated = (ports: { nginx: number; gateway: number; admin: number; push: number }): string =>
  readFileSync(join(PROJECT_ROOT, 'deploy/nginx/sogoms.conf'), 'utf8')
    .replaceAll('127.0.0.1:8080', `127.0.0.1:${ports.gateway}`)
    .replaceAll('127.0.0.1:9000', `127.0.0.1:${ports.admin}`)
    .replaceAll('127.0.0.1:9001', `127.0.0.1:${ports.push}`)
    .replaceAll('    listen [::]:80;\n', '')
    .replaceAll('listen 80;', `listen 127.0.0.1:${ports.nginx};`)
    .replaceAll('server_name admin.example.com;', `server_name ${ADMIN_HOST};`)
    .replaceAll('server_name app.example.com;', `server_name ${APP_HOST};`)
    // The test stack's gateway.body_limit_bytes is 65536.
    .replaceAll('client_max_body_size 1m;', 'client_max_body_size 64k;');

/** A whole nginx.conf of its own: prefix, pid, logs and temp dirs in `dir`, never the system's. */
const nginxConf = (dir: string): string => `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 128; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/sogoms.conf;
}
`;

describe.skipIf(!existsSync(NGINX))(
  'deploy/nginx/sogoms.conf with Debian’s nginx in front of a running stack',
  () => {
    let stack: TestStack;
    let nginx: ChildProcess | undefined;
    let admin: Server;
    let push: WebSocketServer;
    let dir: string;
    let port: number;
    const adminHits: string[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'sogoms-nginx-'));
      await createDemoDatabase(DB);
      stack = await startStack(
        [
          {
            name: 'shop',
            hosts: [APP_HOST],
            database: DB,
            secret: SECRET,
            schemaYaml: await scanSchemaYaml(DB),
          },
        ],
        { requestLogPercent: 100, trustedProxies: ['127.0.0.1'] },
      );
      // Stand-ins for the admin UI and the push service: they record what reaches them.
      const adminPort = await freePort();
      admin = createServer((req, res) => {
        adminHits.push(`${req.headers.host} ${req.url}`);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('admin');
      });
      await new Promise<void>((resolve) => admin.listen(adminPort, '127.0.0.1', resolve));
      const pushPort = await freePort();
      push = new WebSocketServer({ host: '127.0.0.1', port: pushPort, path: '/mqtt' });
      push.on('connection', (socket) =>
        socket.on('message', (data) => socket.send(`echo ${(data as Buffer).toString()}`)),
      );
      port = await freePort();
      writeFileSync(
        join(dir, 'sogoms.conf'),
        templated({ nginx: port, gateway: stack.config.gatewayPort, admin: adminPort, push: pushPort }),
      );
      writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir));
      const test = spawnSync(
        NGINX,
        ['-t', '-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')],
        {
          encoding: 'utf8',
        },
      );
      expect(test.status, test.stderr).toBe(0);
      expect(test.stderr).toContain('test is successful');
      nginx = spawn(
        NGINX,
        ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
        {
          stdio: 'ignore',
        },
      );
      await waitUntil(
        'nginx to answer',
        async () => (await callFrom(port, { path: '/health', host: APP_HOST })).status === 200,
        10_000,
      );
    });

    afterAll(async () => {
      if (nginx && nginx.exitCode === null) {
        const exited = new Promise((resolve) => nginx!.once('exit', resolve));
        nginx.kill('SIGQUIT');
        await exited;
      }
      push?.close();
      admin?.close();
      await stack?.stop();
      await dropDatabase(DB);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('logs in and runs CRUD calls through nginx', async () => {
      const login = await callFrom(port, {
        method: 'POST',
        path: '/api/auth/login',
        host: APP_HOST,
        body: { email: 'demo@prokov.test', password: 'prokov-demo' },
      });
      expect(login.status, login.text).toBe(200);
      const auth = { authorization: `Bearer ${login.json.data.token as string}` };
      const created = await callFrom(port, {
        method: 'POST',
        path: '/api/projects',
        host: APP_HOST,
        headers: auth,
        body: { name: 'Through nginx' },
      });
      expect(created.status, created.text).toBe(201);
      const read = await callFrom(port, {
        path: `/api/projects/${created.json.data.id as number}`,
        host: APP_HOST,
        headers: auth,
      });
      expect(read.status).toBe(200);
      expect(read.json.data.name).toBe('Through nginx');
    });

    it('passes the client address, which the gateway believes from nginx and from nobody else', async () => {
      // A client that lies about its address through nginx: nginx overwrites the header.
      await callFrom(port, {
        path: '/api/projects',
        host: APP_HOST,
        headers: { 'x-forwarded-for': '6.6.6.6' },
      });
      // The same lie told to the gateway directly: it does not trust 127.0.0.2.
      await callFrom(stack.config.gatewayPort, {
        path: '/api/statuses',
        host: APP_HOST,
        headers: { 'x-forwarded-for': '6.6.6.6' },
      });
      const lines = (): { route: string; ip: string }[] =>
        stack
          .output()
          .split('\n')
          .filter((line) => line.includes('"msg":"request"'))
          .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as { route: string; ip: string });
      await waitUntil(
        'both request lines',
        () => Promise.resolve(lines().filter((l) => l.route === '/:table').length >= 2),
        5_000,
      );
      const ips = lines()
        .filter((l) => l.route === '/:table')
        .map((l) => l.ip);
      expect(ips.slice(-2)).toEqual([CLIENT_ADDRESS, CLIENT_ADDRESS]);
      expect(stack.output()).not.toContain('6.6.6.6');
    });

    it('serves the admin host from the admin port, and never an admin path on an app host', async () => {
      const onAdmin = await callFrom(port, { path: '/admin/apps', host: ADMIN_HOST });
      expect(onAdmin.status).toBe(200);
      const onApp = await callFrom(port, { path: '/admin/apps', host: APP_HOST });
      expect(onApp.status).toBe(404);
      expect(onApp.json).toEqual({
        success: false,
        error: { code: 'NOT_FOUND', message: 'Not found', details: null },
      });
      expect(adminHits).toEqual([`${ADMIN_HOST} /admin/apps`]);
    });

    it('refuses a body over gateway.body_limit_bytes at nginx, with the common envelope', async () => {
      const answer = await callFrom(port, {
        method: 'POST',
        path: '/api/projects',
        host: APP_HOST,
        body: { name: 'x'.repeat(70 * 1024) },
      });
      expect(answer.status).toBe(413);
      expect(answer.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('upgrades /mqtt to a WebSocket to the push service', async () => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/mqtt`, { headers: { host: APP_HOST } });
      const reply = await new Promise<string>((resolve, reject) => {
        socket.once('open', () => socket.send('ping'));
        socket.once('message', (data) => resolve((data as Buffer).toString()));
        socket.once('error', reject);
      });
      socket.close();
      expect(reply).toBe('echo ping');
    });
  },
);
