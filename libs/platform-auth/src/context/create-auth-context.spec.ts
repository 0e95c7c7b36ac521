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

  it('deep-copies and deep-freezes the claims, leaving the caller’s objects alone', () => {
    const claims = { realm_access: { roles: ['admin'] }, groups: [{ id: 'g1' }], n: 1 };
    const context = createAuthContext({ ...base, claims });
    const realm = context.claims.realm_access as { roles: string[] };
    const groups = context.claims.groups as { id: string }[];
    expect([realm, realm.roles, groups, groups[0]].every((part) => Object.isFrozen(part))).toBe(
      true,
    );
    expect(() => realm.roles.push('root')).toThrow(TypeError);
    expect(() => {
      groups[0]!.id = 'g2';
    }).toThrow(TypeError);
    expect(Object.isFrozen(claims.realm_access)).toBe(false); // a copy was frozen, not the input
    claims.realm_access.roles.push('later');
    expect(realm.roles).toEqual(['admin']);
  });

  it.each([
    ['a Date', { when: new Date(0) }, 'claims.when must be a plain object'],
    ['a Map', { nested: { m: new Map() } }, 'claims.nested.m must be a plain object'],
    ['a function', { list: [() => 1] }, 'claims.list[0] is a function'],
    ['a class instance', { x: new (class Thing {})() }, 'claims.x must be a plain object'],
  ])('refuses a claim holding %s', (_, claims, message) => {
    expect(() => createAuthContext({ ...base, claims })).toThrow(message);
  });

  it('refuses cyclic and absurdly deep claims with a TypeError, not a stack overflow', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => createAuthContext({ ...base, claims: cyclic })).toThrow(TypeError);
    let deep: Record<string, unknown> = {};
    for (let level = 0; level < 10_000; level += 1) deep = { deep };
    expect(() => createAuthContext({ ...base, claims: deep })).toThrow('nested too deeply');
    const shared = { id: 1 }; // the same object twice is not a cycle
    expect(createAuthContext({ ...base, claims: { a: shared, b: [shared] } }).claims).toEqual({
      a: { id: 1 },
      b: [{ id: 1 }],
    });
  });

  it('keeps a claim named __proto__ as data without polluting any prototype', () => {
    const claims = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": "x", "n": {"__proto__": {"p": 1}}}',
    );
    const context = createAuthContext({ ...base, claims });
    expect(Object.getPrototypeOf(context.claims)).toBeNull();
    expect(Object.keys(context.claims)).toEqual(['__proto__', 'constructor', 'n']);
    expect(Object.keys(context.claims.n as object)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(context.claims.n)).toBeNull();
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
