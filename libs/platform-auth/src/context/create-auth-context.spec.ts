import { describe, expect, it } from '@jest/globals';
import type { AuthContextInit } from './auth-context.interface.js';
import { createAuthContext, isAuthContext } from './create-auth-context.js';

const base: AuthContextInit = {
  subject: 'alice',
  issuer: 'https://issuer.test',
  principalType: 'user',
};

describe('createAuthContext', () => {
  it('normalises and freezes the context', () => {
    const context = createAuthContext({
      ...base,
      tenant: 'acme',
      scopes: ['a', 'b', 'a'],
      roles: new Set(['r']),
      claims: { email: 'a@b.test' },
      expiresAt: 1_900_000_000,
      delegation: [{ subject: 'svc', clientId: 'svc', extra: 'dropped' } as never],
    });
    expect(context).toEqual({
      subject: 'alice',
      issuer: 'https://issuer.test',
      principalType: 'user',
      tenant: 'acme',
      scopes: ['a', 'b'],
      roles: ['r'],
      claims: { email: 'a@b.test' },
      expiresAt: 1_900_000_000,
      delegation: [{ subject: 'svc', clientId: 'svc' }],
    });
    expect(Object.isFrozen(context)).toBe(true);
    expect(Object.isFrozen(context.scopes)).toBe(true);
    expect(Object.isFrozen(context.claims)).toBe(true);
    expect(Object.isFrozen(context.delegation[0])).toBe(true);
    expect(isAuthContext(context)).toBe(true);
  });

  it('keeps a claim named __proto__ as data without polluting any prototype', () => {
    const claims = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x"}');
    const context = createAuthContext({ ...base, claims });
    expect(Object.getPrototypeOf(context.claims)).toBeNull();
    expect(Object.keys(context.claims)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    [{ subject: '' }, 'subject must be a non-empty string'],
    [{ issuer: 42 }, 'issuer must be a non-empty string'],
    [{ principalType: 'robot' }, 'principalType must be one of user, client'],
    [{ tenant: '' }, 'tenant must be a non-empty string'],
    [{ scopes: 'a b' }, 'scopes must be an iterable of strings'],
    [{ scopes: ['a', ''] }, 'scopes must be a non-empty string'],
    [{ roles: [1] }, 'roles must be a non-empty string'],
    [{ claims: [] }, 'claims must be a plain object'],
    [{ expiresAt: Number.NaN }, 'expiresAt must be a finite number'],
    [{ delegation: [{}] }, 'delegation[].subject must be a non-empty string'],
  ])('refuses %j', (patch, message) => {
    expect(() => createAuthContext({ ...base, ...(patch as object) } as AuthContextInit)).toThrow(
      message,
    );
  });

  it('isAuthContext() refuses look-alikes that were not built by createAuthContext()', () => {
    expect(isAuthContext({ ...createAuthContext(base) })).toBe(false);
    expect(isAuthContext(Object.freeze({ ...createAuthContext(base) }))).toBe(false);
    expect(isAuthContext(Object.freeze({ subject: 'a', issuer: 'b', principalType: 'user' }))).toBe(
      false,
    );
    expect(isAuthContext(undefined)).toBe(false);
  });
});
