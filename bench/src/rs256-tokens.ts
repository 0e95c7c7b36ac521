import { KeyObject, randomUUID, sign } from 'node:crypto';
import { promisify } from 'node:util';
import type { TestIssuer } from '@nest-platform/auth/testing';

const signAsync = promisify(sign);

/** base64url of a JSON value: one JWS segment. */
export const segment = (value: object): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** Mints RS256 tokens for a bench issuer, as fast as the machine signs. */
export interface Rs256Minter {
  /** One RFC 9068 token as `TestIssuer.sign` makes it, with `extra` claims added. */
  mint(index: number, extra?: Record<string, unknown>): Promise<string>;
  /** `count` distinct tokens (`sub` `user-0`…), minted 1000 at a time. */
  pool(count: number): Promise<string[]>;
}

/**
 * Tokens from `issuer` with claims `iss` and `aud` (the values it was created with), signed
 * with `node:crypto` in the thread pool: only to mint large pools of never-seen tokens quickly;
 * the verifiers under test check them as usual.
 */
export function rs256Minter(issuer: TestIssuer, iss: string, audience: string): Rs256Minter {
  const privateKey = KeyObject.from(issuer.signingKey);
  const header = segment({ alg: 'RS256', kid: issuer.kid, typ: 'at+jwt' });
  const mint = async (index: number, extra: Record<string, unknown> = {}) => {
    const iat = Math.floor(Date.now() / 1000);
    const payload = segment({
      iss,
      aud: audience,
      sub: `user-${index}`,
      client_id: 'bench-client',
      scope: 'bench:read',
      iat,
      exp: iat + 3600,
      jti: randomUUID(),
      ...extra,
    });
    const input = `${header}.${payload}`;
    const signature = await signAsync('sha256', Buffer.from(input), privateKey);
    return `${input}.${signature.toString('base64url')}`;
  };
  return {
    mint,
    async pool(count) {
      const tokens: string[] = [];
      while (tokens.length < count) {
        const offset = tokens.length;
        const batch = Math.min(1000, count - offset);
        tokens.push(
          ...(await Promise.all(Array.from({ length: batch }, (_, i) => mint(offset + i)))),
        );
      }
      return tokens;
    },
  };
}
