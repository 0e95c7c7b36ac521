/** Most origins whose nonce is remembered (oldest forgotten first). */
const MAX_ORIGINS = 100;
/** Longest nonce kept (RFC 9449 §8.1: `1*NQCHAR`). */
const NONCE = /^[\x21\x23-\x5b\x5d-\x7e]{1,1024}$/;

/**
 * The latest `DPoP-Nonce` each resource server sent, by origin: every response may rotate it
 * (RFC 9449 §9, §8.2), and the next proof to that origin carries it.
 */
export class DpopNonces {
  readonly #byOrigin = new Map<string, string>();

  /** The nonce to put in the next proof for `url`'s origin, if the server sent one. */
  get(url: URL): string | undefined {
    return this.#byOrigin.get(url.origin);
  }

  /** Remembers the response's `DPoP-Nonce` (a single, well-formed value) for `url`'s origin. */
  learn(url: URL, header: string | readonly string[] | undefined): boolean {
    if (typeof header !== 'string' || !NONCE.test(header)) return false;
    this.#byOrigin.delete(url.origin);
    this.#byOrigin.set(url.origin, header);
    if (this.#byOrigin.size > MAX_ORIGINS) {
      this.#byOrigin.delete(this.#byOrigin.keys().next().value!);
    }
    return true;
  }
}
