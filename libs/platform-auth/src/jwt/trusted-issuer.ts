import {
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type JWTPayload,
  type JWTVerifyOptions,
  type JWTVerifyResult,
  jwtVerify,
} from 'jose';
import * as oidc from 'openid-client';
import { fetchJson, RemoteFetchError } from './keys/bounded-fetch.js';
import {
  IssuerKeySet,
  type KeySetEvents,
  type KeySetSource,
  type KeySetTiming,
} from './keys/issuer-key-set.js';
import type { ResolvedIssuer } from './jwt-auth.options.js';

/** What a trusted issuer needs from the module: shared limits and transport. */
export interface IssuerEnvironment {
  readonly fetch: typeof fetch;
  readonly allowHttp: boolean;
  readonly timeoutMs: number;
  readonly clockToleranceS: number;
  readonly timing: KeySetTiming;
  /** Key-set notifications (cache emptying, logging). */
  readonly keySetEvents: KeySetEvents;
}

/**
 * One configured issuer: its key set (fixed, from `jwksUri`, or from OIDC discovery done
 * lazily on first use) and the `jwtVerify` options its tokens must satisfy.
 */
export class TrustedIssuer {
  readonly keys: IssuerKeySet;
  private readonly verifyOptions: JWTVerifyOptions;
  private jwksUri?: URL;

  constructor(
    readonly config: ResolvedIssuer,
    private readonly environment: IssuerEnvironment,
  ) {
    this.jwksUri = config.keys.kind === 'remote' ? config.keys.jwksUri : undefined;
    const source: KeySetSource =
      config.keys.kind === 'static'
        ? config.keys
        : { kind: 'remote', load: () => this.loadKeySet() };
    this.keys = new IssuerKeySet(source, environment.timing, environment.keySetEvents);
    const { profile } = config;
    this.verifyOptions = Object.freeze({
      issuer: config.issuer,
      ...(profile.audienceClaim === 'aud' && { audience: [...config.audiences] }),
      algorithms: [...config.algorithms],
      clockTolerance: environment.clockToleranceS,
      requiredClaims: [...profile.requiredClaims],
      ...(profile.requiredTyp !== undefined && { typ: profile.requiredTyp }),
    });
  }

  /**
   * Verifies signature and registered claims with jose against this issuer's keys only.
   * `header` is the token's unverified protected header, used only to pick a key this set
   * resolved before; jose checks the header (algorithm allow-list, `crit`) before any key use.
   * @rejects jose errors for invalid tokens, `RemoteFetchError` when keys are unavailable.
   */
  verify(
    token: string,
    header: JWSHeaderParameters,
    now: number | undefined,
  ): Promise<JWTVerifyResult<JWTPayload>> {
    const options =
      now === undefined
        ? this.verifyOptions
        : { ...this.verifyOptions, currentDate: new Date(now) };
    return jwtVerify(token, this.keys.knownKey(header) ?? this.keys.resolveKey, options);
  }

  private async loadKeySet(): Promise<JSONWebKeySet> {
    this.jwksUri ??= await this.discoverJwksUri();
    const document = await fetchJson(this.environment.fetch, this.jwksUri);
    if (!Array.isArray(document.keys)) {
      throw new RemoteFetchError('MALFORMED', 'the key set has no "keys" array');
    }
    return document as unknown as JSONWebKeySet;
  }

  /** OIDC discovery through openid-client, which also checks the advertised `issuer`. */
  private async discoverJwksUri(): Promise<URL> {
    const { allowHttp, fetch, timeoutMs } = this.environment;
    let metadata: oidc.ServerMetadata;
    try {
      const configuration = await oidc.discovery(
        new URL(this.config.issuer),
        'platform-auth-resource-server',
        undefined,
        oidc.None(),
        {
          execute: allowHttp ? [oidc.allowInsecureRequests] : [],
          [oidc.customFetch]: fetch,
          timeout: Math.ceil(timeoutMs / 1000),
        },
      );
      metadata = configuration.serverMetadata();
    } catch (cause) {
      if (cause instanceof RemoteFetchError) throw cause;
      const inner = (cause as { cause?: unknown }).cause;
      if (inner instanceof RemoteFetchError) throw inner;
      throw new RemoteFetchError('DISCOVERY', 'OIDC discovery failed', { cause });
    }
    const uri = metadata.jwks_uri;
    if (typeof uri !== 'string' || !URL.canParse(uri)) {
      throw new RemoteFetchError('DISCOVERY', 'the discovery document has no valid jwks_uri');
    }
    const parsed = new URL(uri);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && allowHttp)) {
      throw new RemoteFetchError('DISCOVERY', 'the discovered jwks_uri is not https://');
    }
    return parsed;
  }
}
