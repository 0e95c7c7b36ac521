import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CompactSign,
  exportJWK,
  generateKeyPair,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  SignJWT,
} from 'jose';
import type { ClaimsProfileName, ClaimsProfileOptions } from '../jwt/claims/claims-profile.js';
import type { JwtAlgorithm, JwtIssuerOptions } from '../jwt/jwt-auth.options.js';

/** Options of {@link TestIssuer.create} and {@link TestIssuer.serve}. */
export interface TestIssuerOptions {
  /** `iss` of minted tokens (ignored by `serve()`, which uses its loopback URL). @default 'https://issuer.test' */
  issuer?: string;
  /** Default `aud` of minted tokens. @default 'urn:test:api' */
  audience?: string;
  /** @default 'RS256' */
  algorithm?: JwtAlgorithm;
}

/** Options of {@link TestIssuer.sign}. */
export interface SignOptions {
  /** Header parameters added to (or, when `undefined`, removed from) the defaults `alg`, `kid`, `typ`. */
  header?: Record<string, unknown>;
  /** Sign with this private key instead of the issuer's current one. */
  key?: CryptoKey;
  /** Lifetime in seconds from `iat`. @default 300 */
  expiresInS?: number;
  /** Issue time in seconds since the epoch. @default now */
  issuedAt?: number;
}

/** Shorthand claims of {@link TestIssuer.token}. */
export interface TestTokenOptions {
  subject?: string;
  clientId?: string;
  scopes?: readonly string[];
  roles?: readonly string[];
  /** Extra claims (e.g. a tenant claim for the profile in use). */
  claims?: Record<string, unknown>;
}

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/**
 * An in-process token issuer for tests: generates keys, mints RFC 9068 access tokens with any
 * claims and headers, and exposes its key set in memory (`jwks`) or on loopback (`serve()`:
 * discovery document and JWKS on 127.0.0.1, with request counts).
 *
 * @example
 * ```ts
 * const issuer = await TestIssuer.create();
 * const token = await issuer.token({ scopes: ['documents:read'] });
 * ```
 */
export class TestIssuer {
  /** Requests served by `serve()`, by path (`/.well-known/openid-configuration`, `/jwks`). */
  readonly requests = new Map<string, number>();
  private keys: SigningKey[] = [];
  private server?: Server;

  private constructor(
    readonly issuer: string,
    readonly audience: string,
    readonly algorithm: JwtAlgorithm,
  ) {}

  /** An issuer whose keys are handed over in memory (no network at all). */
  static async create(options: TestIssuerOptions = {}): Promise<TestIssuer> {
    const issuer = new TestIssuer(
      options.issuer ?? 'https://issuer.test',
      options.audience ?? 'urn:test:api',
      options.algorithm ?? 'RS256',
    );
    await issuer.rotate();
    return issuer;
  }

  /**
   * An issuer served on `http://127.0.0.1:<port>` (OIDC discovery + JWKS), for tests of
   * discovery and key fetching. Configure the module with `allowHttp: true`. Call `close()`.
   */
  static async serve(options: Omit<TestIssuerOptions, 'issuer'> = {}): Promise<TestIssuer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    const issuer = new TestIssuer(
      url,
      options.audience ?? 'urn:test:api',
      options.algorithm ?? 'RS256',
    );
    issuer.server = server;
    server.on('request', (req, res) => {
      const path = new URL(req.url ?? '/', url).pathname;
      issuer.requests.set(path, (issuer.requests.get(path) ?? 0) + 1);
      const body =
        path === '/.well-known/openid-configuration'
          ? { issuer: url, jwks_uri: `${url}/jwks`, token_endpoint: `${url}/token` }
          : path === '/jwks'
            ? issuer.jwks
            : undefined;
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(body ? JSON.stringify(body) : '{}');
    });
    await issuer.rotate();
    return issuer;
  }

  /** The public key set: the current key, plus earlier ones kept by `rotate({ keepPrevious })`. */
  get jwks(): JSONWebKeySet {
    return { keys: this.keys.map((key) => ({ ...key.publicJwk })) };
  }

  /** `kid` of the current signing key. */
  get kid(): string {
    return this.keys[0]!.kid;
  }

  /** The current private key, for forging tokens jose would refuse to sign. */
  get signingKey(): CryptoKey {
    return this.keys[0]!.privateKey;
  }

  /** Requests served for `path` so far. */
  count(path: string): number {
    return this.requests.get(path) ?? 0;
  }

  /** Issuer options for `JwtAuthModule`: in-memory keys, or discovery when served. */
  issuerOptions(claims?: ClaimsProfileName | ClaimsProfileOptions): JwtIssuerOptions {
    return {
      issuer: this.issuer,
      audience: this.audience,
      algorithms: [this.algorithm],
      ...(this.server === undefined && { jwks: this.jwks }),
      ...(claims !== undefined && { claims }),
    };
  }

  /** A new signing key; the old one is dropped from the key set unless `keepPrevious`. */
  async rotate(options: { keepPrevious?: boolean } = {}): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair(this.algorithm, { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: this.algorithm, use: 'sig' };
    this.keys = [{ kid, privateKey, publicJwk }, ...(options.keepPrevious ? this.keys : [])];
  }

  /**
   * Mints an access token: RFC 9068 defaults (`typ: at+jwt`; `iss`, `aud`, `sub`, `client_id`,
   * `iat`, `exp`, `jti`) overridden by `claims`; a claim or header set to `undefined` is removed.
   */
  async sign(claims: Record<string, unknown> = {}, options: SignOptions = {}): Promise<string> {
    const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
    const payload = withoutUndefined({
      iss: this.issuer,
      aud: this.audience,
      sub: 'test-user',
      client_id: 'test-client',
      iat,
      exp: iat + (options.expiresInS ?? 300),
      jti: randomUUID(),
      ...claims,
    });
    const header = withoutUndefined({
      alg: this.algorithm,
      kid: this.kid,
      typ: 'at+jwt',
      ...options.header,
    });
    return new SignJWT(payload)
      .setProtectedHeader(header as { alg: string })
      .sign(options.key ?? this.keys[0]!.privateKey);
  }

  /**
   * Signs an exact payload text with the current key (for claims JSON that an object cannot
   * express, such as a literal `__proto__` member). Header defaults as in {@link sign}.
   */
  signRaw(payload: string, header: Record<string, unknown> = {}): Promise<string> {
    return new CompactSign(new TextEncoder().encode(payload))
      .setProtectedHeader(
        withoutUndefined({ alg: this.algorithm, kid: this.kid, typ: 'at+jwt', ...header }) as {
          alg: string;
        },
      )
      .sign(this.keys[0]!.privateKey);
  }

  /** A token for a user (or, with `clientId` equal to `subject`, a client) with these grants. */
  token(options: TestTokenOptions = {}): Promise<string> {
    return this.sign({
      ...(options.subject !== undefined && { sub: options.subject }),
      ...(options.clientId !== undefined && { client_id: options.clientId }),
      ...(options.scopes !== undefined && { scope: options.scopes.join(' ') }),
      ...(options.roles !== undefined && { roles: [...options.roles] }),
      ...options.claims,
    });
  }

  /** Stops the loopback server, if `serve()` started one. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
