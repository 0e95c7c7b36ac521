import { type LoginIdentity, maskIdentity } from '@nest-platform/client/login';

/** The note under masked output; names exactly what {@link maskIdentity} masks. */
export const MASKED_NOTE = '(subject, name, email and username are masked; --no-mask shows them)';

/**
 * `whoami`'s lines. Unless `mask` is false, every field that identifies the person is masked
 * (subject, name, email, username: see `maskIdentity`), in the first line as in the rest.
 * Tenant, roles and scopes always have a line, `(none)` when empty. Never a token.
 */
export function formatIdentity(identity: LoginIdentity, mask: boolean, now = Date.now()): string[] {
  const shown = mask ? maskIdentity(identity) : identity;
  const row = (label: string, value: string | undefined) =>
    value ? [`  ${`${label}:`.padEnd(10)} ${value}`] : [];
  const always = (label: string, value: string | undefined) => row(label, value || NONE);
  const minutes = Math.round((shown.expiresAt - now) / 60_000);
  const expiry =
    shown.expiresAt > now
      ? `access token valid for ${minutes} more minute${minutes === 1 ? '' : 's'}`
      : 'access token expired';
  return [
    `Logged in to ${shown.issuer} as ${subjectOf(shown)}`,
    ...row('name', shown.name),
    ...row('email', shown.email),
    ...row('username', shown.preferredUsername),
    ...always('tenant', shown.tenant),
    ...always('roles', shown.roles.join(', ')),
    ...always('scopes', shown.scopes.join(' ')),
    ...row('session', `${expiry}${shown.refreshable ? '; refreshable' : ''}`),
    ...row('userinfo', shown.userInfo.ok ? 'ok' : `unavailable: ${shown.userInfo.reason}`),
    ...(mask ? [MASKED_NOTE] : []),
  ];
}

/** The subject as the CLI prints it after "as": masked when `identity` was masked. */
export function subjectOf(identity: Pick<LoginIdentity, 'subject'>): string {
  return identity.subject ?? '(unknown subject)';
}

const NONE = '(none)';
