import {
  compactVerify,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type VerifyOptions,
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
import {
  checkRegisteredClaims,
  type ClaimsVerdict,
  mediaType,
  type RegisteredClaimRules,
} from './registered-claims.js';
import type { UnverifiedJwt } from './unverified-jwt.js';

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
 * lazily on first use) and the rules its tokens must satisfy.
 */
export class TrustedIssuer {
  readonly keys: IssuerKeySet;
  private readonly verifyOptions: VerifyOptions;
  private readonly claimRules: RegisteredClaimRules;
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
    this.verifyOptions = Object.freeze({ algorithms: [...config.algorithms] });
    this.claimRules = Object.freeze({
      issuer: config.issuer,
      audienceClaim: profile.audienceClaim,
      audiences: config.audiences,
      requiredClaims: profile.requiredClaims,
      stringClaims: profile.stringClaims,
      typ: profile.requiredTyp === undefined ? undefined : mediaType(profile.requiredTyp),
      clockToleranceS: environment.clockToleranceS,
    });
  }

  /**
   * Verifies a token's signature against this issuer's keys only, with jose's `compactVerify`
   * (algorithm allow-list, key type; `crit` and `b64` were refused when the token was
   * decoded). `header` is the token's unverified protected header: it only picks a key this set
   * resolved before, and jose checks the header before any key use. Resolves when the signature is good; the claims are checked next, by
   * {@link checkClaims}. (Not `async`: the caller awaits jose's promise itself.)
   * @rejects jose errors for a bad signature or header, `RemoteFetchError` when the keys are
   *   unavailable.
   */
  verifySignature(token: string, header: JWSHeaderParameters): Promise<unknown> {
    return compactVerify(
      token,
      this.keys.knownKey(header) ?? this.keys.resolveKey,
      this.verifyOptions,
    );
  }

  /**
   * This issuer's registered-claim rules (`checkRegisteredClaims`) on a token whose signature
   * {@link verifySignature} accepted; `unverified` is what was decoded from that same token, so
   * its payload is decoded once.
   */
  checkClaims({ header, payload }: UnverifiedJwt, nowMs: number): ClaimsVerdict {
    return checkRegisteredClaims(header, payload, this.claimRules, nowMs);
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
