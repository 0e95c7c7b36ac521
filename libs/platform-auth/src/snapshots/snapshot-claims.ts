import type {
  AuthContextInit,
  DelegationActor,
  PrincipalType,
} from '../context/auth-context.interface.js';
import {
  AUTH_SNAPSHOT_SCHEMA_VERSION,
  MAX_SNAPSHOT_DELEGATION_DEPTH,
  MAX_SNAPSHOT_LIFETIME_S,
} from './auth-snapshot.constants.js';

/**
 * The claims of a snapshot (schema version 1), after the OAuth Transaction Tokens draft:
 * `iss` the minting service, `aud` the trust domain, `sub` the subject, `jti` a unique id,
 * `txn` the correlation (transaction) id, `act` the RFC 8693 delegation chain, plus the
 * subject's original issuer (`sub_iss`), principal type, client, tenant, scopes and roles.
 * Never a token, a refresh token or a secret: only what an `AuthContext` says.
 */
export interface SnapshotClaims {
  readonly iss: string;
  readonly aud: string;
  readonly sub: string;
  readonly sub_iss: string;
  readonly ptype: PrincipalType;
  readonly client_id?: string;
  readonly tenant?: string;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
  readonly txn?: string;
  readonly act?: ActClaim;
  /**
   * The binding: base64url SHA-256 of what the snapshot was minted for (a request, a message,
   * a handshake). Absent: the snapshot is unbound, hence single-use.
   */
  readonly bnd?: string;
  readonly ver: number;
}

/** RFC 8693 §4.1 `act`: the current actor, with the one before it nested. */
export interface ActClaim {
  readonly sub: string;
  readonly iss?: string;
  readonly client_id?: string;
  readonly act?: ActClaim;
}

const MAX_LIST = 256;
const MAX_STRING = 1024;
const KNOWN = new Set([
  'iss',
  'aud',
  'sub',
  'sub_iss',
  'ptype',
  'client_id',
  'tenant',
  'scopes',
  'roles',
  'iat',
  'exp',
  'jti',
  'txn',
  'act',
  'bnd',
  'ver',
]);
/** A base64url SHA-256 digest. */
export const BINDING_DIGEST = /^[A-Za-z0-9_-]{43}$/;

/** The delegation chain (most recent actor first) as nested `act` claims. */
export function toActClaim(chain: readonly DelegationActor[]): ActClaim | undefined {
  let act: ActClaim | undefined;
  for (let i = chain.length - 1; i >= 0; i--) {
    const actor = chain[i];
    act = {
      sub: actor.subject,
      ...(actor.issuer !== undefined && { iss: actor.issuer }),
      ...(actor.clientId !== undefined && { client_id: actor.clientId }),
      ...(act !== undefined && { act }),
    };
  }
  return act;
}

/**
 * Depth of a nested `act` claim, counted without recursion; `undefined` when a level is not an
 * object or the chain is deeper than the maximum. Cheap: runs before any signature check.
 */
export function actDepth(act: unknown): number | undefined {
  let depth = 0;
  let actor = act;
  while (actor !== undefined) {
    if (typeof actor !== 'object' || actor === null || Array.isArray(actor)) return undefined;
    if (++depth > MAX_SNAPSHOT_DELEGATION_DEPTH) return undefined;
    actor = (actor as Record<string, unknown>).act;
  }
  return depth;
}

/**
 * Checks every claim's presence and type (signature, `typ`, `iss`, `aud` and `exp` are checked
 * by jose before) and maps them onto an `AuthContextInit`; `undefined` for anything malformed,
 * unknown claims included.
 */
export function parseSnapshotClaims(
  payload: Record<string, unknown>,
  nowS: number,
  toleranceS: number,
): { init: AuthContextInit; claims: SnapshotClaims } | undefined {
  for (const key of Object.keys(payload)) if (!KNOWN.has(key)) return undefined;
  const p = payload as Partial<Record<keyof SnapshotClaims, unknown>>;
  if (p.ver !== AUTH_SNAPSHOT_SCHEMA_VERSION) return undefined;
  if (!str(p.iss) || !str(p.aud) || !str(p.sub) || !str(p.sub_iss) || !str(p.jti)) return undefined;
  if (p.ptype !== 'user' && p.ptype !== 'client') return undefined;
  if (!optionalStr(p.client_id) || !optionalStr(p.tenant) || !optionalStr(p.txn)) return undefined;
  if (p.bnd !== undefined && (typeof p.bnd !== 'string' || !BINDING_DIGEST.test(p.bnd))) {
    return undefined;
  }
  if (!Number.isSafeInteger(p.iat) || !Number.isSafeInteger(p.exp)) return undefined;
  const iat = p.iat as number;
  const exp = p.exp as number;
  if (exp <= iat || exp - iat > MAX_SNAPSHOT_LIFETIME_S) return undefined;
  if (iat > nowS + toleranceS) return undefined;
  if (!stringList(p.scopes) || !stringList(p.roles)) return undefined;
  const delegation = parseAct(p.act);
  if (delegation === undefined) return undefined;
  return {
    claims: payload as unknown as SnapshotClaims,
    init: {
      subject: p.sub as string,
      issuer: p.sub_iss as string,
      principalType: p.ptype,
      ...(p.client_id !== undefined && { clientId: p.client_id as string }),
      ...(p.tenant !== undefined && { tenant: p.tenant as string }),
      scopes: p.scopes as string[],
      roles: p.roles as string[],
      claims: payload,
      expiresAt: exp,
      delegation,
    },
  };
}

function parseAct(act: unknown): DelegationActor[] | undefined {
  if (actDepth(act) === undefined) return undefined;
  const chain: DelegationActor[] = [];
  let actor = act as Record<string, unknown> | undefined;
  while (actor !== undefined) {
    for (const key of Object.keys(actor)) {
      if (key !== 'sub' && key !== 'iss' && key !== 'client_id' && key !== 'act') return undefined;
    }
    if (!str(actor.sub) || !optionalStr(actor.iss) || !optionalStr(actor.client_id))
      return undefined;
    chain.push({
      subject: actor.sub,
      ...(actor.iss !== undefined && { issuer: actor.iss as string }),
      ...(actor.client_id !== undefined && { clientId: actor.client_id as string }),
    });
    actor = actor.act as Record<string, unknown> | undefined;
  }
  return chain;
}

function str(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_STRING;
}

function optionalStr(value: unknown): boolean {
  return value === undefined || str(value);
}

function stringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= MAX_LIST && value.every(str);
}
