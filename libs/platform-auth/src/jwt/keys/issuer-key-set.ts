import {
  createLocalJWKSet,
  type CryptoKey,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type LocalJWKSet,
} from 'jose';
import { RemoteFetchError, type RemoteFetchFailure } from './bounded-fetch.js';

/** Health of one issuer's key set, read-only. */
export interface KeySetStatus {
  /** `pending`: never loaded; `ready`: usable keys; `failed`: never loaded and the last try failed. */
  readonly state: 'pending' | 'ready' | 'failed';
  /** Keys in the current set. */
  readonly keys: number;
  /** Bumped each time the key set changes (the verification cache is emptied then). */
  readonly generation: number;
  /** When the current set was fetched (epoch ms), if it was. */
  readonly fetchedAt?: number;
  /** Why the last refresh failed, when it did (the current set, if any, is kept). */
  readonly lastFailure?: RemoteFetchFailure;
}

/** Where the keys come from: fetched (and refetched) from a URL, or given once. */
export type KeySetSource =
  | { readonly kind: 'remote'; readonly load: () => Promise<JSONWebKeySet> }
  | { readonly kind: 'static'; readonly jwks: JSONWebKeySet };

/** Notifications from a key set: a changed set empties the verification cache. */
export interface KeySetEvents {
  changed(): void;
  /** A fetch failed (at most once per cooldown, so logging it cannot flood). */
  failed(failure: RemoteFetchFailure): void;
}

export interface KeySetTiming {
  /** Minimum time between two fetches triggered by unknown `kid`s or failures. */
  readonly cooldownMs: number;
  /** Age after which the set is refreshed in the background. */
  readonly maxAgeMs: number;
  readonly now: () => number;
}

/**
 * The verification keys of one issuer, after jose's `createRemoteJWKSet`: one shared in-flight
 * fetch, a cooldown between fetches (no storm from random `kid`s), a background refresh after
 * `maxAgeMs`, and a failing refresh never replaces a good set. {@link resolveKey} is the key
 * function handed to `compactVerify`; only keys of this set are ever used (header-supplied `jwk`,
 * `jku`, `x5u`, `x5c` are ignored). The keys themselves are jose's (`createLocalJWKSet`
 * selects and imports them); only the fetch schedule is ours.
 *
 * Why not `createRemoteJWKSet` itself (jose 6.2.17, `jwks/remote.js`): once the set is older than
 * `cacheMaxAge` it awaits the refetch on the request path and, when that fetch fails, throws:
 * it keeps no good keys, so an IdP blip turns every request into a failure (the README's rule
 * "a failing refresh keeps the good keys", tested in `test/jwt/jwks-availability.e2e-spec.ts`). It starts
 * no cooldown after a failed fetch, so while the IdP is down every request fetches again (the
 * rule "at most one fetch per cooldown"). Its clock is `Date.now()`, so the refresh schedule
 * cannot follow the provider's injectable `now`. Each of those is an observable rule of this
 * library; `customFetch` (which we do use for bounded time and size, see `bounded-fetch.ts`)
 * cannot change any of them.
 */
export class IssuerKeySet {
  private local?: LocalJWKSet;
  /**
   * Keys the current set resolved, by `alg` and `kid`, so a known key costs a map lookup
   * instead of a pass over the set (bounded by the set's keys × allowed algorithms; emptied
   * with the set).
   */
  private resolved = new Map<string, Map<string | undefined, CryptoKey>>();
  private serialized?: string;
  private inflight?: Promise<void>;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private current: KeySetStatus = { state: 'pending', keys: 0, generation: 0 };

  constructor(
    private readonly source: KeySetSource,
    private readonly timing: KeySetTiming,
    private readonly events: KeySetEvents,
  ) {
    if (source.kind === 'static') this.install(source.jwks, timing.now());
  }

  /** Current state, for health checks and tests. */
  get status(): KeySetStatus {
    return this.current;
  }

  /**
   * The key this set resolved before for a protected header's `alg` and `kid`, handed to
   * `compactVerify` directly (no pass over the set, no promise); `undefined` when there is none,
   * and {@link resolveKey} is the way. jose still checks the header before using either.
   */
  knownKey({ alg, kid }: JWSHeaderParameters): CryptoKey | undefined {
    const key = typeof alg === 'string' ? this.resolved.get(alg)?.get(kid) : undefined;
    if (
      key !== undefined &&
      this.timing.now() - (this.current.fetchedAt ?? 0) > this.timing.maxAgeMs
    ) {
      this.refreshInBackground();
    }
    return key;
  }

  /** The key function for `compactVerify`. */
  readonly resolveKey = async (
    header: JWSHeaderParameters,
    token?: FlattenedJWSInput,
  ): Promise<CryptoKey> => {
    if (!this.local) await this.loadFirst();
    else if (this.timing.now() - (this.current.fetchedAt ?? 0) > this.timing.maxAgeMs) {
      this.refreshInBackground();
    }
    try {
      return await this.resolveIn(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || this.source.kind === 'static') {
        throw error;
      }
      // An unknown kid may be a rotation: refetch once, unless we fetched recently.
      if (this.inflight) await this.inflight;
      else if (this.timing.now() - this.lastAttemptAt < this.timing.cooldownMs) {
        // After a failed fetch the new key may exist at the IdP: that is an outage, not a bad token.
        const failure = this.current.lastFailure;
        if (failure !== undefined) throw new RemoteFetchError(failure, 'key set unavailable');
        throw error;
      } else await this.refresh();
      return this.resolveIn(header, token);
    }
  };

  /**
   * Resolves with the current set and remembers the key in that set's map: a set replaced
   * meanwhile takes its map along, so a key never outlives its set.
   */
  private async resolveIn(header: JWSHeaderParameters, token?: FlattenedJWSInput) {
    const resolved = this.resolved;
    const key = await this.local!(header, token);
    // jose's key selection reads alg and kid only; anything else in the header is irrelevant.
    const { alg, kid } = header;
    if (typeof alg === 'string' && (kid === undefined || typeof kid === 'string')) {
      let byKid = resolved.get(alg);
      if (byKid === undefined) resolved.set(alg, (byKid = new Map()));
      byKid.set(kid, key);
    }
    return key;
  }

  /** Loads the set if it never was (used at boot, in the background, and by health checks). */
  async warm(): Promise<void> {
    if (!this.local) await this.loadFirst();
  }

  private async loadFirst(): Promise<void> {
    if (this.inflight) return this.waitForFirst();
    if (this.timing.now() - this.lastAttemptAt < this.timing.cooldownMs) {
      throw new RemoteFetchError(this.current.lastFailure ?? 'NETWORK', 'key set unavailable');
    }
    await this.refresh();
  }

  private async waitForFirst(): Promise<void> {
    await this.inflight;
    if (!this.local) {
      throw new RemoteFetchError(this.current.lastFailure ?? 'NETWORK', 'key set unavailable');
    }
  }

  private refreshInBackground(): void {
    // A failed refresh leaves the set old: without the cooldown every request would retry.
    if (this.inflight || this.timing.now() - this.lastAttemptAt < this.timing.cooldownMs) return;
    this.refresh().catch(() => undefined);
  }

  /** One fetch at a time; failures keep the current set and are remembered for health. */
  private refresh(): Promise<void> {
    if (this.source.kind === 'static') return Promise.resolve();
    const load = this.source.load;
    this.lastAttemptAt = this.timing.now();
    this.inflight ??= (async () => {
      try {
        const jwks = await load();
        this.install(jwks, this.timing.now());
      } catch (cause) {
        const failure = cause instanceof RemoteFetchError ? cause.failure : 'MALFORMED';
        this.events.failed(failure);
        this.current = {
          ...this.current,
          state: this.local ? 'ready' : 'failed',
          lastFailure: failure,
        };
        throw cause instanceof RemoteFetchError
          ? cause
          : new RemoteFetchError('MALFORMED', 'the key set is malformed', { cause });
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  private install(jwks: JSONWebKeySet, fetchedAt: number): void {
    const serialized = JSON.stringify(jwks.keys);
    if (serialized !== this.serialized) {
      this.local = createLocalJWKSet(jwks);
      this.resolved = new Map();
      this.serialized = serialized;
      this.current = {
        state: 'ready',
        keys: jwks.keys.length,
        generation: this.current.generation + 1,
        fetchedAt,
      };
      this.events.changed();
    } else {
      this.current = {
        state: 'ready',
        keys: jwks.keys.length,
        generation: this.current.generation,
        fetchedAt,
      };
    }
  }
}
