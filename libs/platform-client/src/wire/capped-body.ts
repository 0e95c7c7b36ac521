/** How {@link readCappedBody} reads one body. */
export interface CappedBodyOptions {
  /**
   * Largest body accepted, in bytes. 0 means the message has no body (a HEAD response, 204,
   * 304), whose `Content-Length` describes the representation, not this message.
   */
  readonly limitBytes: number;
  /**
   * The response's `Content-Length`, when it has one: a declared length above a non-zero limit
   * fails before a byte is read; one within the limit lets `readAll` take the body in one go (the
   * HTTP parser enforces a declared length).
   */
  readonly declaredLength?: string | readonly string[] | null;
  /** The error thrown past the limit. */
  readonly tooLarge: () => Error;
  /** Drops the rest of the body (destroy the stream, cancel the reader). Errors are ignored. */
  readonly discard: () => unknown;
  /** Reads the whole body at once (`body.arrayBuffer()`), used for a declared length within the limit. */
  readonly readAll?: () => Promise<ArrayBuffer>;
}

/**
 * Reads a response body in full, but never more than `limitBytes`: the one capped reader of the
 * library, for undici's `request()` bodies (API calls) and fetch bodies (discovery and token
 * responses) alike. Past the limit the body is discarded and `tooLarge()` is thrown.
 *
 * @param chunks the body (an undici body stream, a web `ReadableStream`, or `null` for none)
 */
export async function readCappedBody(
  chunks: AsyncIterable<Uint8Array> | null | undefined,
  options: CappedBodyOptions,
): Promise<Buffer> {
  const { limitBytes, tooLarge } = options;
  const declaredValue = options.declaredLength;
  const declared = typeof declaredValue === 'string' ? Number(declaredValue) : Number.NaN;
  if (Number.isSafeInteger(declared)) {
    if (declared > limitBytes && limitBytes > 0) {
      await discard(options);
      throw tooLarge();
    }
    if (declared <= limitBytes && options.readAll) return Buffer.from(await options.readAll());
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks ?? []) {
    size += chunk.length;
    if (size > limitBytes) {
      await discard(options);
      throw tooLarge();
    }
    parts.push(chunk);
  }
  if (parts.length === 1) {
    const only = parts[0]!;
    return Buffer.isBuffer(only) ? only : Buffer.from(only.buffer, only.byteOffset, only.length);
  }
  return Buffer.concat(parts, size);
}

async function discard(options: CappedBodyOptions): Promise<void> {
  try {
    await options.discard();
  } catch {
    // The body is abandoned either way.
  }
}
