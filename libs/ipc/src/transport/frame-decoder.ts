/** Bytes of the big-endian length prefix in front of every frame. */
export const FRAME_HEADER_BYTES = 4;

/** Why a connection's byte stream cannot be decoded; the connection is then closed. */
export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/**
 * Turns a socket's byte stream into JSON values: each frame is a 4-byte big-endian length
 * followed by that many bytes of UTF-8 JSON. Chunks are only concatenated once a frame is
 * complete, so a large frame arriving in many chunks is copied once, not once per chunk.
 * After the first error the decoder ignores further input (the owner closes the socket).
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes needed (header included) before the buffered chunks can yield a frame. */
  private needed = FRAME_HEADER_BYTES;
  private failed = false;

  constructor(
    private readonly maxFrameBytes: number,
    private readonly onMessage: (message: unknown) => void,
    private readonly onError: (error: FrameError) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.failed) return;
    let buffer: Buffer;
    if (this.buffered === 0) {
      buffer = chunk;
    } else {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered < this.needed) return;
      buffer = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
      this.chunks = [];
      this.buffered = 0;
    }

    const end = buffer.length;
    let offset = 0;
    while (end - offset >= FRAME_HEADER_BYTES) {
      const length = buffer.readUInt32BE(offset);
      if (length > this.maxFrameBytes) {
        this.fail(`Frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes} bytes`);
        return;
      }
      const start = offset + FRAME_HEADER_BYTES;
      if (end - start < length) break;
      offset = start + length;
      let message: unknown;
      try {
        message = JSON.parse(buffer.toString('utf8', start, offset));
      } catch {
        this.fail('Frame body is not valid JSON');
        return;
      }
      this.onMessage(message);
      if (this.failed) return;
    }

    if (offset < end) {
      const rest = offset === 0 ? buffer : buffer.subarray(offset);
      this.chunks.push(rest);
      this.buffered = rest.length;
      this.needed =
        rest.length >= FRAME_HEADER_BYTES ? FRAME_HEADER_BYTES + rest.readUInt32BE(0) : FRAME_HEADER_BYTES;
    } else {
      this.needed = FRAME_HEADER_BYTES;
    }
  }

  /** Stops decoding, e.g. when the owner closes the socket for another reason. */
  stop(): void {
    this.failed = true;
    this.chunks = [];
    this.buffered = 0;
  }

  private fail(message: string): void {
    this.stop();
    this.onError(new FrameError(message));
  }
}
