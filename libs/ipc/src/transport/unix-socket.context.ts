import type { Socket } from 'node:net';
import { BaseRpcContext, type PacketMetadata } from '@nestjs/microservices';

type UnixSocketContextArgs = [Socket, string, PacketMetadata?];

/** What a handler can ask about the message it handles (`@Ctx() ctx: UnixSocketContext`). */
export class UnixSocketContext extends BaseRpcContext<UnixSocketContextArgs> {
  getSocket(): Socket {
    return this.args[0];
  }

  getPattern(): string {
    return this.args[1];
  }

  getMetadata(): PacketMetadata | undefined {
    return this.args[2];
  }
}
