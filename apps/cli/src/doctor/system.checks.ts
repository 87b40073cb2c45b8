import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { GlobalConfig } from '@sogoms/config';
import { failed, passed, type DoctorFinding } from './doctor-finding.js';

const MIN_NODE = [20, 19] as const;

export const nodeVersionCheck = (version = process.versions.node): DoctorFinding => {
  const [major, minor] = version.split('.').map(Number);
  const fine = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return fine
    ? passed('node', `Node.js ${version}`)
    : failed(
        'node',
        `Node.js ${version} is older than ${MIN_NODE.join('.')}`,
        'install Node.js 20.19 or newer',
      );
};

export const runDirCheck = (runDir: string): DoctorFinding => {
  const probe = join(runDir, `.doctor-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(runDir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
    return passed('run_dir', `${runDir} is writable`);
  } catch (error) {
    return failed(
      'run_dir',
      `${runDir} is not writable (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      'create it and give it to the user SOGOMS runs as, or set run_dir in sogoms.yaml',
    );
  }
};

const accepts = (path: string): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const bindError = (port: number, host: string): Promise<string | null> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    server.listen(port, host, () => server.close(() => resolve(null)));
  });

/** The gateway's port: free, or held by the SOGOMS whose supervisor answers on run_dir. */
export const gatewayPortCheck = async (global: GlobalConfig): Promise<DoctorFinding> => {
  const { host, port } = global.gateway;
  const error = await bindError(port, host);
  if (error === null) return passed('port', `gateway port ${host}:${port} is free`);
  if (error === 'EADDRINUSE' && (await accepts(join(global.runDir, 'sogoctl.sock'))))
    return passed('port', `gateway port ${host}:${port} is held by the running SOGOMS`);
  return failed(
    'port',
    `gateway port ${host}:${port} cannot be bound (${error})`,
    error === 'EACCES'
      ? 'use a port above 1023 or grant the capability'
      : 'stop what holds it, or set gateway.port in sogoms.yaml',
  );
};
