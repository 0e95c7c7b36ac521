import { createHash, randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** A client's DPoP key pair and a proof minter (RFC 9449 §4.2), with knobs for forging. */
export class DpopKey {
  private constructor(
    readonly privateKey: CryptoKey,
    readonly publicKey: CryptoKey,
    readonly publicJwk: JWK,
    readonly alg: string,
  ) {}

  static async generate(alg = 'ES256'): Promise<DpopKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    return new DpopKey(privateKey, publicKey, await exportJWK(publicKey), alg);
  }

  /** A proof for `method url` presenting `accessToken`; `overrides` forge claims or the header. */
  async proof(
    method: string,
    url: string,
    accessToken: string | undefined,
    overrides: {
      claims?: Record<string, unknown>;
      header?: Record<string, unknown>;
      iat?: number;
    } = {},
  ): Promise<string> {
    const claims: Record<string, unknown> = {
      htm: method,
      htu: url,
      jti: randomUUID(),
      ...(accessToken !== undefined && { ath: ath(accessToken) }),
      ...overrides.claims,
    };
    return new SignJWT(claims)
      .setProtectedHeader({
        alg: this.alg,
        typ: 'dpop+jwt',
        jwk: this.publicJwk,
        ...overrides.header,
      } as never)
      .setIssuedAt(overrides.iat ?? Math.floor(Date.now() / 1000))
      .sign(this.privateKey);
  }
}

export function ath(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}
