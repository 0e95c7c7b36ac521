import { describe, expect, it } from '@jest/globals';
import { browserBlocker } from './browser-environment.js';
import { browserCommand } from './browser-opener.js';
import { maskIdentity, type LoginIdentity } from './login-identity.js';

describe('browserBlocker', () => {
  it.each([
    [{}, 'linux', 'no-display'],
    [{ DISPLAY: ':0' }, 'linux', undefined],
    [{ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', undefined],
    [{ DISPLAY: ':0', SSH_CONNECTION: '1.2.3.4 5 6.7.8.9 22' }, 'linux', 'ssh'],
    [{ SSH_TTY: '/dev/pts/1' }, 'darwin', 'ssh'],
    [{}, 'darwin', undefined],
    [{}, 'win32', undefined],
    [{ DISPLAY: '  ' }, 'freebsd', 'no-display'],
  ] as const)('env %j on %s → %s', (env, platform, expected) => {
    expect(browserBlocker({ env, platform })).toBe(expected);
  });
});

describe('browserCommand', () => {
  const url = 'https://id.example.test/auth?a=1&b=2';
  it('honours BROWSER (first entry, %s substitution, else appended) without a shell', () => {
    expect(browserCommand(url, { env: { BROWSER: 'firefox --new-tab:w3m' } })).toEqual([
      'firefox',
      '--new-tab',
      url,
    ]);
    expect(browserCommand(url, { env: { BROWSER: 'open-it --url=%s' } })).toEqual([
      'open-it',
      `--url=${url}`,
    ]);
  });
  it.each([
    ['linux', 'xdg-open'],
    ['darwin', 'open'],
    ['win32', 'rundll32'],
  ] as const)('on %s uses %s', (platform, command) => {
    expect(browserCommand(url, { env: {}, platform })[0]).toBe(command);
  });
});

describe('maskIdentity', () => {
  const identity: LoginIdentity = {
    issuer: 'https://id.example.test',
    subject: 'alice',
    name: 'Alice Example',
    email: 'alice@example.com',
    preferredUsername: 'alice.e',
    tenant: 'acme',
    roles: ['admin'],
    scopes: ['openid'],
    expiresAt: 0,
    refreshable: true,
    userInfo: { ok: true },
  };
  it('masks subject, name, email and username to their first characters, and leaves the rest as is', () => {
    expect(maskIdentity(identity)).toEqual({
      ...identity,
      subject: 'a***',
      name: 'A*** E***',
      email: 'a***@e***.com',
      preferredUsername: 'a***',
    });
  });
});
