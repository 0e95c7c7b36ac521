import { describe, expect, it } from '@jest/globals';
import { AuthProvider } from './auth-provider.decorator.js';
import type { AuthCapability } from '../capabilities/auth-capability.enum.js';
import {
  describeRef,
  fromArgs,
  fromBody,
  fromParam,
  fromQuery,
  resolveRef,
} from '../requirements/dynamic-ref.js';
import {
  permission,
  policy,
  relation,
  RequireAny,
  role,
  scope,
  tenant,
} from './require-any.decorator.js';
import { RequirePermission } from './require-permission.decorator.js';
import { RequireAuthentication } from './require-authentication.decorator.js';
import { RequireDpop } from './require-dpop.decorator.js';
import { REQUIREMENTS_METADATA } from '../requirements/auth-metadata.constants.js';
import { describeRequirement, normalizeRequirements } from '../requirements/requirement-utils.js';
import { RequirePolicy } from './require-policy.decorator.js';
import { RequireRelation } from './require-relation.decorator.js';
import { RequireAnyRole, RequireRole } from './require-role.decorator.js';
import { RequireAnyScope, RequireScope } from './require-scope.decorator.js';
import { RequireTenant } from './require-tenant.decorator.js';

describe('decorator arguments are validated when the decorator is applied', () => {
  it.each([
    ['@RequireScope()', () => RequireScope()],
    ['@RequireAnyScope()', () => RequireAnyScope()],
    ['@RequireRole()', () => RequireRole()],
    ['@RequireAnyRole()', () => RequireAnyRole()],
  ])('%s with an empty list is a TypeError', (name, apply) => {
    expect(apply).toThrow(TypeError);
    expect(apply).toThrow(`${name}: expected at least one value`);
  });

  it.each([[''], ['two words'], ['quote"d'], ['back\\slash'], ['tab\t'], ['é']])(
    '@RequireScope(%j) is refused: not an RFC 6749 scope token',
    (scope) => {
      expect(() => RequireScope(scope)).toThrow(TypeError);
      expect(() => RequireAnyScope('ok', scope)).toThrow(TypeError);
    },
  );

  it.each([[''], [' admin'], ['admin '], ['ad\nmin'], [42], [null]])(
    '@RequireRole(%j) is refused',
    (role) => {
      expect(() => RequireRole(role as string)).toThrow(TypeError);
      expect(() => RequireAnyRole('ok', role as string)).toThrow(TypeError);
    },
  );

  it('accepts valid values', () => {
    expect(() =>
      RequireScope('documents:read', 'https://api.example.com/documents.write'),
    ).not.toThrow();
    expect(() => RequireRole('Admin Users')).not.toThrow();
    expect(() =>
      RequirePermission('docs:delete', { type: 'document', id: fromParam('id') }),
    ).not.toThrow();
    expect(() => RequireRelation('viewer', { type: 'document', id: 'fixed-id' })).not.toThrow();
    expect(() => RequireTenant(fromBody('owner.tenantId'))).not.toThrow();
  });

  it('refuses a blank permission, policy or relation, and a malformed resource', () => {
    expect(() => RequirePermission('')).toThrow(
      '@RequirePermission(): permission "" must be a non-empty string',
    );
    expect(() => RequirePermission('p', { type: '', id: 'x' })).toThrow('resource.type');
    expect(() => RequirePermission('p', { type: 't', id: '' })).toThrow('resource.id');
    expect(() => RequirePermission('p', null as never)).toThrow('resource must be an object');
    expect(() => RequirePolicy(' ')).toThrow(TypeError);
    expect(() => RequireRelation('', { type: 'doc', id: 'x' })).toThrow(TypeError);
    expect(() => RequireRelation('viewer', undefined as never)).toThrow('object must be an object');
    expect(() => RequireTenant('')).toThrow(TypeError);
    expect(() => RequireTenant({ source: 'param', path: 'x' } as never)).toThrow(TypeError);
  });

  it('refuses @RequireAny() with fewer than two alternatives or one not made by the builders', () => {
    expect(() => RequireAny(scope('a'))).toThrow('at least two alternatives');
    expect(() => RequireAny()).toThrow(TypeError);
    const forged = { requirement: { kind: 'scope', values: ['a'], match: 'all' } } as never;
    expect(() => RequireAny(scope('a'), forged)).toThrow('made by scope(), role()');
    expect(() => scope('a b')).toThrow('not a scope token');
    expect(() => role()).toThrow(TypeError);
    expect(() => permission(' x')).toThrow(TypeError);
    expect(() => relation('viewer', { type: '', id: 'x' })).toThrow(TypeError);
    expect(() => policy('')).toThrow(TypeError);
    expect(() => tenant('')).toThrow(TypeError);
    expect(() =>
      RequireAny(scope('a'), role('b'), permission('p', { type: 'doc', id: fromParam('id') })),
    ).not.toThrow();
  });

  it('refuses malformed dynamic refs', () => {
    expect(() => fromParam('')).toThrow(TypeError);
    expect(() => fromParam('a.b')).toThrow('nested paths are only supported by fromBody()');
    expect(() => fromQuery('a.b')).toThrow(TypeError);
    expect(() => fromBody('owner..id')).toThrow(TypeError);
    expect(() => fromBody('__proto__.polluted')).toThrow('invalid path segment "__proto__"');
    expect(() => fromBody('a.constructor')).toThrow(TypeError);
    expect(() => fromArgs('__proto__')).toThrow(TypeError);
  });

  it('resolves fromArgs() from GraphQL arguments only, nested paths included', () => {
    const ref = fromArgs('input.tenantId');
    expect(describeRef(ref)).toBe("fromArgs('input.tenantId')");
    const sources = { params: {}, query: {}, body: { input: { tenantId: 'body' } } };
    expect(resolveRef(ref, sources)).toBeUndefined();
    expect(resolveRef(ref, { ...sources, args: { input: { tenantId: 'acme' } } })).toBe('acme');
  });

  it('refuses @AuthProvider() without capabilities or with an unknown one', () => {
    expect(() => AuthProvider()).toThrow('@AuthProvider() needs at least one AuthCapability.');
    expect(() => AuthProvider('Teleport' as AuthCapability)).toThrow(
      'unknown capability "Teleport"',
    );
  });
});

describe('@RequireAuthentication() and @RequireDpop()', () => {
  it.each([
    [{}],
    [{ acr: [] }],
    [{ acr: ['two words'] }],
    [{ acr: ['q"uote'] }],
    [{ maxAgeS: -1 }],
    [{ maxAgeS: 1.5 }],
    [{ other: 1 }],
  ])('refuses %j at decoration time', (options) => {
    expect(() => RequireAuthentication(options as never)).toThrow(TypeError);
  });

  it('describes itself as written', () => {
    class C {
      @RequireAuthentication({ acr: ['mfa', 'hwk'], maxAgeS: 300 })
      @RequireDpop()
      m() {}
    }
    const requirements = normalizeRequirements(
      Reflect.getOwnMetadata(REQUIREMENTS_METADATA, C.prototype.m),
    );
    expect(requirements.map(describeRequirement)).toEqual([
      '@RequireDpop()',
      "@RequireAuthentication({ acr: ['mfa', 'hwk'], maxAgeS: 300 })",
    ]);
  });
});
