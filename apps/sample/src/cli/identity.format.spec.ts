import { describe, expect, it } from '@jest/globals';
import type { LoginIdentity } from '@nest-platform/client/login';
import { formatIdentity } from './identity.format.js';

const NOW = 1_700_000_000_000;
const identity: LoginIdentity = {
  issuer: 'http://127.0.0.1:3001',
  subject: 'alice',
  name: 'Alice Example',
  email: 'alice@example.com',
  preferredUsername: 'alice@acme',
  tenant: 'acme',
  roles: ['admin'],
  scopes: ['openid', 'documents:read'],
  expiresAt: NOW + 5 * 60_000,
  refreshable: true,
  userInfo: { ok: true },
};

describe('formatIdentity (whoami)', () => {
  it('masks subject, name, email and username by default, the first line included, and says so', () => {
    expect(formatIdentity(identity, true, NOW)).toEqual([
      'Logged in to http://127.0.0.1:3001 as a***',
      '  name:      A*** E***',
      '  email:     a***@e***.com',
      '  username:  a***',
      '  tenant:    acme',
      '  roles:     admin',
      '  scopes:    openid documents:read',
      '  session:   access token valid for 5 more minutes; refreshable',
      '  userinfo:  ok',
      '(subject, name, email and username are masked; --no-mask shows them)',
    ]);
  });

  it('shows them with mask=false', () => {
    const lines = formatIdentity(identity, false, NOW);
    expect(lines[0]).toBe('Logged in to http://127.0.0.1:3001 as alice');
    expect(lines).toContain('  name:      Alice Example');
    expect(lines).toContain('  username:  alice@acme');
    expect(lines.at(-1)).toBe('  userinfo:  ok');
  });

  it('says when the access token expired and why userinfo is unavailable; skips absent personal fields and says (none) for empty rights', () => {
    const lines = formatIdentity(
      {
        ...identity,
        name: undefined,
        email: undefined,
        preferredUsername: undefined,
        tenant: undefined,
        roles: [],
        scopes: [],
        expiresAt: NOW - 1,
        refreshable: false,
        userInfo: { ok: false, reason: 'the issuer has no userinfo endpoint' },
      },
      true,
      NOW,
    );
    expect(lines).toContain('  session:   access token expired');
    expect(lines).toContain('  userinfo:  unavailable: the issuer has no userinfo endpoint');
    expect(lines.some((line) => /name:|email:/.test(line))).toBe(false);
    expect(lines).toContain('  tenant:    (none)');
    expect(lines).toContain('  roles:     (none)');
    expect(lines).toContain('  scopes:    (none)');
  });

  it('uses the singular for one minute', () => {
    expect(formatIdentity({ ...identity, expiresAt: NOW + 60_000 }, true, NOW)).toContain(
      '  session:   access token valid for 1 more minute; refreshable',
    );
  });
});
