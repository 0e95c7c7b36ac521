import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

/** Marks an encrypted value: `pc1.<key id>.<base64url(iv | ciphertext | tag)>`. */
const PREFIX = 'pc1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface CipherKey {
  /** 16 hex digits of a SHA-256 over a label and the key: names the key, reveals nothing. */
  readonly id: string;
  readonly key: KeyObject;
}

/**
 * AES-256-GCM for token cache values at rest. Each value gets a random 96-bit IV; the Redis key
 * name is the additional authenticated data, so a value copied under another key does not
 * decrypt. Writes use the first key; reads accept any configured key (rotation). Keys are held
 * as `KeyObject`s, which never show their bytes in `inspect` or JSON.
 */
export class RedisEntryCipher {
  readonly #keys: readonly CipherKey[];

  constructor(keys: readonly Uint8Array[]) {
    this.#keys = keys.map((bytes) => ({
      id: createHash('sha256')
        .update('platform-client/redis-token-cache-key\0')
        .update(bytes)
        .digest('hex')
        .slice(0, 16),
      key: createSecretKey(Buffer.from(bytes)),
    }));
  }

  get enabled(): boolean {
    return this.#keys.length > 0;
  }

  /** `plaintext` encrypted for `keyName` (unchanged without a key). */
  seal(keyName: string, plaintext: string): string {
    const current = this.#keys[0];
    if (!current) return plaintext;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', current.key, iv);
    cipher.setAAD(Buffer.from(keyName, 'utf8'));
    const body = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return `${PREFIX}${current.id}.${Buffer.concat([iv, body]).toString('base64url')}`;
  }

  /**
   * The plaintext of a value stored under `keyName`, or `undefined`: encrypted with no known key,
   * tampered with, moved from another key, or (with encryption on) not encrypted at all; and,
   * with encryption off, an encrypted value.
   */
  open(keyName: string, stored: string): string | undefined {
    const encrypted = stored.startsWith(PREFIX);
    if (!this.enabled) return encrypted ? undefined : stored;
    if (!encrypted) return undefined;
    const dot = stored.indexOf('.', PREFIX.length);
    const key = this.#keys.find(({ id }) => id === stored.slice(PREFIX.length, dot));
    if (dot < 0 || !key) return undefined;
    const raw = Buffer.from(stored.slice(dot + 1), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyName, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const text = Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return text.toString('utf8');
    } catch {
      return undefined;
    }
  }

  /** Never shows key material. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RedisEntryCipher { keys: ${this.#keys.length} }`;
  }

  toJSON(): object {
    return { keys: this.#keys.length };
  }
}
