import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import { RpcErrorFilter, UnixSocketServer } from '@sogoms/ipc';

/** The trivial handler of the IPC micro-benchmark: the transport and Nest's pipeline, no work. */
@Controller()
class EchoController {
  @MessagePattern('bench.echo')
  echo(@Payload() data: unknown): unknown {
    return data;
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

/** `node ipc-echo.main.js <socket path>`: a Nest microservice on the Unix socket transport, like the db service. */
const main = async (): Promise<void> => {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(EchoModule, {
    strategy: new UnixSocketServer({ path: process.argv[2] }),
    logger: false,
  });
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
};

main().catch((error: unknown) => {
  process.stderr.write(`echo server failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
