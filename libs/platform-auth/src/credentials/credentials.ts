import { inspect } from 'node:util';

/** Where the credentials were found. */
export type CredentialSource =
  'authorization-header' | 'query' | 'snapshot-header' | 'message' | 'handshake';

const REDACTED = '[REDACTED]';

/**
 * The credentials a caller presented: a scheme (lower-case, e.g. `bearer`) and the secret
 * value. The value is kept in a private field, so `JSON.stringify`, `util.inspect` and
 * template strings never show it.
 */
export class Credentials {
  readonly #value: string;

  constructor(
    /** Lower-case scheme, e.g. `bearer`. */
    readonly scheme: string,
    value: string,
    readonly source: CredentialSource,
  ) {
    this.#value = value;
    Object.freeze(this);
  }

  /** The secret value (the token). Never log it. */
  get value(): string {
    return this.#value;
  }

  toJSON(): { scheme: string; source: CredentialSource; value: string } {
    return { scheme: this.scheme, source: this.source, value: REDACTED };
  }

  toString(): string {
    return `Credentials(${this.scheme}, ${REDACTED})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
