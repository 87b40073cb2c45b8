import { BadRequestException, Controller, Injectable } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { SogomsError } from '@sogoms/common';
import { of, type Observable } from 'rxjs';

/** Records events so a test can wait for them. */
@Injectable()
export class EventRecorder {
  readonly received: unknown[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  record(data: unknown): void {
    this.received.push(data);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.received.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once `count` events have arrived in total. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Handlers that exercise every behaviour of a transport; used by the IPC specs. */
@Controller()
export class FixtureController {
  constructor(private readonly events: EventRecorder) {}

  @MessagePattern('test.echo')
  echo(@Payload() data: unknown): unknown {
    return data;
  }

  @MessagePattern('test.async_echo')
  async asyncEcho(@Payload() data: unknown): Promise<unknown> {
    await Promise.resolve();
    return data;
  }

  @MessagePattern('test.slow')
  async slow(@Payload() data: { ms: number; value: unknown }): Promise<unknown> {
    await delay(data.ms);
    return data.value;
  }

  @MessagePattern('test.stream')
  stream(): Observable<number> {
    return of(1, 2, 3);
  }

  @MessagePattern('test.conflict')
  conflict(): never {
    throw new SogomsError('CONFLICT', 'Email already registered', { field: 'email' });
  }

  @MessagePattern('test.crash')
  crash(): never {
    throw new Error('ER_DUP_ENTRY: SELECT password_hash FROM users');
  }

  @MessagePattern('test.rpc_exception')
  rpcException(@Payload() data: { error: string | object }): never {
    throw new RpcException(data.error);
  }

  @MessagePattern('test.bad_request')
  badRequest(): never {
    throw new BadRequestException(['name must be a string']);
  }

  @MessagePattern('test.big')
  big(@Payload() data: { bytes: number }): string {
    return 'x'.repeat(data.bytes);
  }

  @EventPattern('test.note')
  note(@Payload() data: unknown): void {
    this.events.record(data);
  }
}
