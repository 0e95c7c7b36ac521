import { describe, expect, it } from '@jest/globals';
import { readCappedBody } from './capped-body.js';

class TooLarge extends Error {}

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

const read = (
  body: AsyncIterable<Uint8Array> | null,
  limitBytes: number,
  extra: { declaredLength?: string; readAll?: () => Promise<ArrayBuffer> } = {},
) => {
  const discarded: string[] = [];
  const result = readCappedBody(body, {
    limitBytes,
    tooLarge: () => new TooLarge(),
    discard: () => discarded.push('discarded'),
    ...extra,
  });
  return { result, discarded };
};

describe('readCappedBody', () => {
  it('reads every chunk of a body within the limit', async () => {
    await expect(read(chunks('ab', 'cd', 'e'), 5).result).resolves.toEqual(Buffer.from('abcde'));
  });

  it('reads no body as an empty buffer', async () => {
    await expect(read(null, 5).result).resolves.toEqual(Buffer.alloc(0));
  });

  it('discards the body and throws past the limit, counting bytes as they arrive', async () => {
    const { result, discarded } = read(chunks('abc', 'def'), 5);
    await expect(result).rejects.toBeInstanceOf(TooLarge);
    expect(discarded).toEqual(['discarded']);
  });

  it('fails before reading when the declared length is above the limit', async () => {
    let pulled = false;
    const body = (async function* () {
      pulled = true;
      yield Buffer.from('x');
    })();
    const { result, discarded } = read(body, 5, { declaredLength: '6' });
    await expect(result).rejects.toBeInstanceOf(TooLarge);
    expect(pulled).toBe(false);
    expect(discarded).toEqual(['discarded']);
  });

  it('takes a declared length within the limit in one go through readAll', async () => {
    const readAll = () => Promise.resolve(new TextEncoder().encode('hello').buffer);
    await expect(read(null, 5, { declaredLength: '5', readAll }).result).resolves.toEqual(
      Buffer.from('hello'),
    );
  });

  it('with limit 0 (HEAD, 204, 304) ignores the declared length and accepts no byte', async () => {
    await expect(read(chunks(), 0, { declaredLength: '1234' }).result).resolves.toEqual(
      Buffer.alloc(0),
    );
    await expect(read(chunks('x'), 0, { declaredLength: '1234' }).result).rejects.toBeInstanceOf(
      TooLarge,
    );
  });
});
