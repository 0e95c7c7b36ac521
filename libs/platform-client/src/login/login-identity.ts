import { decodeJwt, type JWTPayload } from 'jose';
import type { TokenSet } from '../shared/token-set.js';

/**
 * Who is logged in, for display (`whoami`). Built from the ID token, the access token (when it
 * is a JWT) and the userinfo response; never holds a token. The fields that identify the person
 * (`subject`, `name`, `email`, `preferredUsername`) are masked by {@link maskIdentity} unless the
 * person asks otherwise.
 */
export interface LoginIdentity {
  readonly issuer: string;
  readonly subject?: string;
  readonly name?: string;
  readonly email?: string;
  readonly preferredUsername?: string;
  /** Organisation / tenant: `tenant`, `tenant_id`, `tid`, `org_id` or `organization`. */
  readonly tenant?: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  /** When the cached access token expires (epoch ms). */
  readonly expiresAt: number;
  /** Whether a refresh token is cached (the session outlives the access token). */
  readonly refreshable: boolean;
  /** Whether the issuer's userinfo endpoint answered; otherwise why not (no secret in it). */
  readonly userInfo: { readonly ok: true } | { readonly ok: false; readonly reason: string };
}

const TENANT_CLAIMS = ['tenant', 'tenant_id', 'tid', 'org_id', 'organization'] as const;

/**
 * Combines the claims: userinfo first (the issuer's current view), then the ID token, then the
 * access token. Token payloads are decoded without verification: this is for display to the
 * token's own holder, never for an access decision (the ID token was validated on receipt).
 */
export function describeIdentity(
  issuer: string,
  tokenSet: TokenSet,
  userInfo: Record<string, unknown> | undefined,
  userInfoProblem?: string,
): LoginIdentity {
  const sources = [userInfo ?? {}, payloadOf(tokenSet.idToken), payloadOf(tokenSet.accessToken)];
  const pick = (...names: string[]) => {
    for (const source of sources) {
      for (const name of names) {
        const value = source[name];
        if (typeof value === 'string' && value !== '') return value;
      }
    }
    return undefined;
  };
  const roles = sources.map((s) => stringList(s.roles)).find((list) => list.length > 0) ?? [];
  const scopeText = tokenSet.scope ?? pick('scope') ?? '';
  return {
    issuer,
    subject: pick('sub'),
    name:
      pick('name') ??
      ([pick('given_name'), pick('family_name')].filter(Boolean).join(' ') || undefined),
    email: pick('email'),
    preferredUsername: pick('preferred_username'),
    tenant: pick(...TENANT_CLAIMS),
    roles,
    scopes: scopeText.split(/\s+/).filter(Boolean),
    expiresAt: tokenSet.expiresAt,
    refreshable: tokenSet.refreshToken !== undefined,
    userInfo: userInfo ? { ok: true } : { ok: false, reason: userInfoProblem ?? 'not requested' },
  };
}

/**
 * The identity with every field that identifies the person masked — `subject`, `name`, `email`
 * and `preferredUsername` — keeping the first character of each word and `***` for the rest
 * (`alice` → `a***`, `alice@example.com` → `a***@e***.com`, `Alice Example` → `A*** E***`).
 * Issuer, tenant, roles, scopes and expiry are left as they are: they describe the session's
 * rights, not the person.
 */
export function maskIdentity(identity: LoginIdentity): LoginIdentity {
  return {
    ...identity,
    ...(identity.subject ? { subject: maskWords(identity.subject) } : {}),
    ...(identity.name ? { name: maskWords(identity.name) } : {}),
    ...(identity.email ? { email: maskEmail(identity.email) } : {}),
    ...(identity.preferredUsername
      ? { preferredUsername: maskWords(identity.preferredUsername) }
      : {}),
  };
}

function maskWords(text: string): string {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `${[...word][0]}***`)
    .join(' ');
}

function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return maskWords(email);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const maskedDomain =
    dot > 0 ? `${maskWords(domain.slice(0, dot))}${domain.slice(dot)}` : maskWords(domain);
  return `${maskWords(email.slice(0, at))}@${maskedDomain}`;
}

function payloadOf(token: string | undefined): JWTPayload {
  if (!token) return {};
  try {
    return decodeJwt(token);
  } catch {
    return {};
  }
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
