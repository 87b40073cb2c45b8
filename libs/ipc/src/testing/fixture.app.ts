import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { RpcErrorFilter } from '../rpc-error.filter.js';
import { UnixSocketServer, type UnixSocketServerOptions } from '../transport/unix-socket.server.js';
import { EventRecorder, FixtureController } from './fixture.controller.js';

@Module({ controllers: [FixtureController], providers: [EventRecorder] })
export class FixtureModule {}

/** Boots the fixture controller as a real Nest microservice with the given transport options. */
export const startFixtureApp = async (options: MicroserviceOptions): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(FixtureModule, {
    ...options,
    logger: false,
  });
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  return app;
};

export const startUnixFixtureApp = (options: UnixSocketServerOptions): Promise<INestMicroservice> =>
  startFixtureApp({ strategy: new UnixSocketServer(options) });
