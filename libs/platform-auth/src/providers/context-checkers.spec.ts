import { describe, expect, it } from '@jest/globals';
import { createAuthContext } from '../context/create-auth-context.js';
import { ContextRoleChecker } from './context-role.checker.js';
import { ContextScopeChecker } from './context-scope.checker.js';

const context = createAuthContext({
  subject: 'alice',
  issuer: 'https://issuer.test',
  principalType: 'user',
  scopes: ['documents:read', 'profile'],
  roles: ['editor'],
});

describe('ContextScopeChecker', () => {
  const checker = new ContextScopeChecker();

  it('allows when every required scope is held (all) or one is (any)', async () => {
    expect((await checker.checkScopes(context, ['documents:read', 'profile'], 'all')).allowed).toBe(
      true,
    );
    expect(
      (await checker.checkScopes(context, ['documents:write', 'profile'], 'any')).allowed,
    ).toBe(true);
  });

  it('denies with INSUFFICIENT_SCOPE naming the required scopes', async () => {
    const decision = await checker.checkScopes(
      context,
      ['documents:read', 'documents:write'],
      'all',
    );
    expect(`${decision}`).toBe('DENY(INSUFFICIENT_SCOPE)');
    expect(decision.requiredScopes).toEqual(['documents:read', 'documents:write']);
  });

  it('matches exactly: no prefix, substring or case folding', async () => {
    for (const scope of [
      'documents',
      'documents:',
      'Documents:read',
      'documents:read:all',
      'read',
    ]) {
      expect((await checker.checkScopes(context, [scope], 'all')).allowed).toBe(false);
    }
  });
});

describe('ContextRoleChecker', () => {
  const checker = new ContextRoleChecker();

  it('allows held roles and denies others exactly', async () => {
    expect((await checker.checkRoles(context, ['editor'], 'all')).allowed).toBe(true);
    expect((await checker.checkRoles(context, ['admin', 'editor'], 'any')).allowed).toBe(true);
    expect(`${await checker.checkRoles(context, ['admin', 'editor'], 'all')}`).toBe(
      'DENY(INSUFFICIENT_ROLE)',
    );
    expect((await checker.checkRoles(context, ['Editor'], 'all')).allowed).toBe(false);
    expect((await checker.checkRoles(context, ['edit'], 'any')).allowed).toBe(false);
  });
});
