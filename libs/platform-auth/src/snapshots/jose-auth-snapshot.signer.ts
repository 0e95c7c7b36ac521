import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CompactSign } from 'jose';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { AuthProvider } from '../decorators/auth-provider.decorator.js';
import type { AuthContext } from '../context/auth-context.interface.js';
import { isAuthenticatedContext } from '../context/authenticated-contexts.js';
import { isAuthContext } from '../context/create-auth-context.js';
import { SnapshotMintError } from '../errors/snapshot-mint.error.js';
import type {
  AuthSnapshotSigner,
  SnapshotSignOptions,
} from '../ports/auth-snapshot-signer.port.js';
import {
  AUTH_SNAPSHOT_SCHEMA_VERSION,
  AUTH_SNAPSHOT_TYP,
  MAX_SNAPSHOT_DELEGATION_DEPTH,
} from './auth-snapshot.constants.js';
import { AUTH_SNAPSHOT_KEYRING, AUTH_SNAPSHOT_OPTIONS } from './auth-snapshot.module-definition.js';
import type { ResolvedAuthSnapshotOptions } from './auth-snapshot.options.js';
import { toActClaim, type SnapshotClaims } from './snapshot-claims.js';
import type { SnapshotKeyring } from './snapshot-keyring.js';
import { sha256 } from './snapshot-binding.js';
import { snapshotOriginOf } from './snapshot-origin.js';

const CORRELATION_ID = /^[\x21-\x7E]{1,128}$/;
const encoder = new TextEncoder();

/**
 * `AuthSnapshotSigner` on `jose`: a compact JWS (`typ: auth-snapshot+jwt`) of a verified
 * context, valid for `lifetimeS` (60 s by default) and never past the context's own expiry,
 * bound (`bnd`) to the request, message or handshake it is minted for when a `binding` is
 * given. It refuses to mint from a context no authentication produced (one merely built with
 * `createAuthContext()`), from an expired one, or with scopes/roles the context does not hold. Registered by `AuthSnapshotModule`.
 */
@Injectable()
@AuthProvider(AuthCapability.SnapshotSign)
export class JoseAuthSnapshotSigner implements AuthSnapshotSigner {
  constructor(
    @Inject(AUTH_SNAPSHOT_OPTIONS) private readonly options: ResolvedAuthSnapshotOptions,
    @Inject(AUTH_SNAPSHOT_KEYRING) private readonly keyring: SnapshotKeyring,
  ) {}

  /**
   * @throws SnapshotMintError (`CONTEXT_UNVERIFIED`, `CONTEXT_EXPIRED`, `ESCALATION`,
   *   `INVALID_ARGUMENT`, `SIGNING_FAILED`)
   */
  async sign(context: AuthContext, options: SnapshotSignOptions = {}): Promise<string> {
    // Only what an authentication produced (a provider's context, a verified snapshot's) is
    // propagated: a context merely built with createAuthContext() vouches for nothing.
    if (!isAuthContext(context) || !isAuthenticatedContext(context)) {
      throw new SnapshotMintError('CONTEXT_UNVERIFIED');
    }
    const iat = Math.floor(this.options.now() / 1000);
    const exp = Math.min(iat + this.options.lifetimeS, context.expiresAt ?? Infinity);
    if (!(exp > iat)) throw new SnapshotMintError('CONTEXT_EXPIRED');
    const scopes = subset(options.scopes, context.scopes);
    const roles = subset(options.roles, context.roles);
    const correlationId = options.correlationId ?? snapshotOriginOf(context)?.correlationId;
    if (correlationId !== undefined && !CORRELATION_ID.test(correlationId)) {
      throw new SnapshotMintError('INVALID_ARGUMENT');
    }
    if (context.delegation.length > MAX_SNAPSHOT_DELEGATION_DEPTH) {
      throw new SnapshotMintError('INVALID_ARGUMENT');
    }
    if (options.binding !== undefined && typeof options.binding !== 'string') {
      throw new SnapshotMintError('INVALID_ARGUMENT');
    }
    const act = toActClaim(context.delegation);
    const claims: SnapshotClaims = {
      iss: this.options.issuer,
      aud: this.options.trustDomain,
      sub: context.subject,
      sub_iss: context.issuer,
      ptype: context.principalType,
      ...(context.clientId !== undefined && { client_id: context.clientId }),
      ...(context.tenant !== undefined && { tenant: context.tenant }),
      scopes,
      roles,
      iat,
      exp: Math.floor(exp),
      jti: randomUUID(),
      ...(correlationId !== undefined && { txn: correlationId }),
      ...(act !== undefined && { act }),
      ...(options.binding !== undefined && { bnd: sha256(options.binding) }),
      ver: AUTH_SNAPSHOT_SCHEMA_VERSION,
    };
    try {
      // jose's CompactSign rather than SignJWT: the claims are built above with their exact
      // types, so the generic JWT claim builder (a copy and re-validation) has nothing to add.
      return await new CompactSign(encoder.encode(JSON.stringify(claims)))
        .setProtectedHeader({
          alg: this.keyring.algorithm,
          kid: this.keyring.kid,
          typ: AUTH_SNAPSHOT_TYP,
        })
        .sign(this.keyring.signingKey);
    } catch (error) {
      throw new SnapshotMintError('SIGNING_FAILED', { cause: error });
    }
  }
}

function subset(
  requested: readonly string[] | undefined,
  held: readonly string[],
): readonly string[] {
  if (requested === undefined) return held;
  if (!Array.isArray(requested)) throw new SnapshotMintError('INVALID_ARGUMENT');
  for (const value of requested) {
    if (!held.includes(value)) throw new SnapshotMintError('ESCALATION');
  }
  return [...new Set(requested)];
}
