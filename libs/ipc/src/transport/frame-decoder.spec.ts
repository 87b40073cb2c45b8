import { describe, expect, it } from 'vitest';
import { FrameDecoder, type FrameError } from './frame-decoder.js';
import { encodeFrame } from './frame-writer.js';

const collect = (maxFrameBytes = 1024) => {
  const messages: unknown[] = [];
  const errors: FrameError[] = [];
  const decoder = new FrameDecoder(
    maxFrameBytes,
    (message) => messages.push(message),
    (error) => errors.push(error),
  );
  return { decoder, messages, errors };
};

describe('FrameDecoder', () => {
  const values = [{ id: 1, pattern: 'a', data: 'héllo ✓' }, [1, 2, 3], 'text', 42, null, { empty: {} }];
  const stream = Buffer.concat(values.map((value) => encodeFrame(JSON.stringify(value))));

  it('decodes several frames from one chunk', () => {
    const { decoder, messages, errors } = collect();
    decoder.push(stream);
    expect(messages).toEqual(values);
    expect(errors).toEqual([]);
  });

  it('decodes the same frames whatever the chunk boundaries', () => {
    for (const size of [1, 2, 3, 5, 7, 13]) {
      const { decoder, messages, errors } = collect();
      for (let offset = 0; offset < stream.length; offset += size)
        decoder.push(stream.subarray(offset, offset + size));
      expect(messages).toEqual(values);
      expect(errors).toEqual([]);
    }
  });

  it('rejects an oversized frame from its header, before the body arrives', () => {
    const { decoder, messages, errors } = collect(100);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(101);
    decoder.push(header);
    expect(errors.map((error) => error.message)).toEqual([
      'Frame of 101 bytes exceeds the limit of 100 bytes',
    ]);
    decoder.push(encodeFrame('1'));
    expect(messages).toEqual([]);
  });

  it('accepts a frame of exactly the limit', () => {
    const { decoder, messages, errors } = collect(10);
    decoder.push(encodeFrame(JSON.stringify('x'.repeat(8))));
    expect(messages).toEqual(['x'.repeat(8)]);
    expect(errors).toEqual([]);
  });

  it('reports invalid JSON and stops decoding', () => {
    const { decoder, messages, errors } = collect();
    decoder.push(Buffer.concat([encodeFrame('{"a":'), encodeFrame('1')]));
    expect(errors.map((error) => error.message)).toEqual(['Frame body is not valid JSON']);
    expect(messages).toEqual([]);
  });

  it('reports an empty frame as invalid JSON', () => {
    const { decoder, errors } = collect();
    decoder.push(encodeFrame(''));
    expect(errors).toHaveLength(1);
  });
});
