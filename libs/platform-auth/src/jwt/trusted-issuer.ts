import {
  compactVerify,
  type CryptoKey,
  errors,
  type JSONWebKeySet,
  type VerifyOptions,
} from 'jose';
import * as oidc from 'openid-client';
import type { UnverifiedJwt } from '../jose/compact-jws.js';
import { verifySignatureFast } from '../jose/signature-fast-path.js';
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
  type ClaimsCheck,
  type CompiledClaimRules,
  compileClaimRules,
} from './registered-claims.js';

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
  private readonly algorithms: ReadonlySet<string>;
  private readonly claimRules: CompiledClaimRules;
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
    this.algorithms = new Set(config.algorithms);
    this.claimRules = compileClaimRules({
      issuer: config.issuer,
      audienceClaim: profile.audienceClaim,
      audiences: config.audiences,
      requiredClaims: profile.requiredClaims,
      stringClaims: profile.stringClaims,
      ...(profile.requiredTyp !== undefined && { typ: profile.requiredTyp }),
      clockToleranceS: environment.clockToleranceS,
    });
  }

  /**
   * Verifies a token's signature against this issuer's keys only: the header's `alg` on the
   * issuer's allow-list, the key selected and imported by jose from this issuer's key set
   * (header-supplied `jwk`, `jku`, `x5u`, `x5c` are ignored), then the signature on
   * `node:crypto` (`verifySignatureFast`, differentially tested against jose) or, for whatever
   * that path does not cover, jose's `compactVerify`. Resolves when the signature is good; the
   * claims are checked next, by {@link checkClaims}. The header was checked for `crit`/`b64`
   * when the token was decoded.
   * @rejects jose errors for a bad signature, algorithm or key, `RemoteFetchError` when the keys
   *   are unavailable.
   */
  async verifySignature(token: string, unverified: UnverifiedJwt): Promise<void> {
    const { header } = unverified;
    const { alg } = header;
    if (typeof alg !== 'string' || !this.algorithms.has(alg)) {
      throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
    }
    const key: CryptoKey = this.keys.knownKey(header) ?? (await this.keys.resolveKey(header));
    const verdict = verifySignatureFast(alg, key, unverified.signingInput, unverified.signature);
    if (verdict === true) return;
    if (verdict === false) throw new errors.JWSSignatureVerificationFailed();
    await compactVerify(token, key, this.verifyOptions);
  }

  /**
   * This issuer's registered-claim rules (`checkRegisteredClaims`: jose's, and stricter ones) on
   * a token whose signature {@link verifySignature} accepted.
   */
  checkClaims({ header, payloadSegment }: UnverifiedJwt, nowMs: number): ClaimsCheck {
    return checkRegisteredClaims(header, payloadSegment, this.claimRules, nowMs);
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
