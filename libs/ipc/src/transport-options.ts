import {
  ClientProxyFactory,
  Transport,
  type ClientProxy,
  type CustomStrategy,
  type NatsOptions,
} from '@nestjs/microservices';
import type { GlobalConfig } from '@sogoms/config';
import { socketPath } from './socket-path.js';
import { UnixSocketClient } from './transport/unix-socket.client.js';
import { UnixSocketServer } from './transport/unix-socket.server.js';

/**
 * What `NestFactory.createMicroservice(Module, options)` takes for `service`, by transport:
 * unix → a UnixSocketServer on `{runDir}/{service}.sock`; nats → Nest's NATS transport with
 * the configured servers and the service name as queue group (replicas share the work).
 * Patterns are NATS subjects as they are, so handlers do not change.
 */
export const microserviceOptions = (config: GlobalConfig, service: string): CustomStrategy | NatsOptions => {
  const transport = config.transport;
  switch (transport.kind) {
    // In-process, only the db module is in the gateway: every other service still has its socket.
    case 'unix':
    case 'inprocess':
      return {
        strategy: new UnixSocketServer({
          path: socketPath(config.runDir, service),
          maxFrameBytes: config.ipc.maxFrameBytes,
        }),
      };
    case 'nats':
      return { transport: Transport.NATS, options: { servers: transport.servers, queue: service } };
  }
};

/** A ClientProxy for `service` over the configured transport; wrap it in an IpcClient. */
export const createClientProxy = (config: GlobalConfig, service: string): ClientProxy => {
  const transport = config.transport;
  switch (transport.kind) {
    case 'unix':
    case 'inprocess':
      return new UnixSocketClient({
        path: socketPath(config.runDir, service),
        maxFrameBytes: config.ipc.maxFrameBytes,
      });
    case 'nats':
      return ClientProxyFactory.create({
        transport: Transport.NATS,
        options: { servers: transport.servers },
      });
  }
};
