import type { Socket } from 'node:net';
import { FRAME_HEADER_BYTES } from './frame-decoder.js';

/** Encodes a JSON text as one frame: length prefix and body in a single buffer. */
export const encodeFrame = (json: string): Buffer => {
  const length = Buffer.byteLength(json, 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.writeUInt32BE(length, 0);
  frame.write(json, FRAME_HEADER_BYTES, length, 'utf8');
  return frame;
};

/**
 * Writes frames to a socket, one `write` per frame, corking the socket for the rest of the
 * current tick so that every frame written in one tick leaves in a single `writev`.
 * Writes never wait for `drain`: the socket buffers them, and reading continues meanwhile
 * (waiting here is what deadlocks Nest's JsonSocket with thousands of requests in flight).
 */
export class FrameWriter {
  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  constructor(private readonly socket: Socket) {}

  /** Bytes written but not yet handed to the operating system. */
  backlogBytes(): number {
    return this.socket.writableLength;
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Returns false when the socket can no longer be written to (the frame is dropped). */
  writeJson(json: string): boolean {
    return this.write(encodeFrame(json));
  }

  write(frame: Buffer): boolean {
    const socket = this.socket;
    if (socket.destroyed || !socket.writable) return false;
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      setImmediate(this.uncork);
    }
    socket.write(frame);
    return true;
  }
}
