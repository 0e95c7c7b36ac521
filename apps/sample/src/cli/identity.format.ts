import { type LoginIdentity, maskIdentity } from '@nest-platform/client/login';

/** `whoami`'s lines: personal fields masked unless `mask` is false. Never a token. */
export function formatIdentity(identity: LoginIdentity, mask: boolean, now = Date.now()): string[] {
  const shown = mask ? maskIdentity(identity) : identity;
  const row = (label: string, value: string | undefined) =>
    value ? [`  ${`${label}:`.padEnd(10)} ${value}`] : [];
  const minutes = Math.round((shown.expiresAt - now) / 60_000);
  const expiry =
    shown.expiresAt > now
      ? `access token valid for ${minutes} more minute${minutes === 1 ? '' : 's'}`
      : 'access token expired';
  return [
    `Logged in to ${shown.issuer} as ${shown.subject ?? '(unknown subject)'}`,
    ...row('name', shown.name),
    ...row('email', shown.email),
    ...row('username', shown.preferredUsername),
    ...row('tenant', shown.tenant),
    ...row('roles', shown.roles.join(', ')),
    ...row('scopes', shown.scopes.join(' ')),
    ...row('session', `${expiry}${shown.refreshable ? '; refreshable' : ''}`),
    ...row('userinfo', shown.userInfo.ok ? 'ok' : `unavailable: ${shown.userInfo.reason}`),
    ...(mask ? ['(name and email are masked; --no-mask shows them)'] : []),
  ];
}
