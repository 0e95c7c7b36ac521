import { describe, expect, it } from '@jest/globals';
import { AuthorizationDecision } from './authorization-decision.js';
import { toHttpRefusal } from './decision-http.mapper.js';

const realm = 'api';

function mapped(decision: AuthorizationDecision) {
  const { exception, challenge } = toHttpRefusal(decision, realm);
  return { status: exception.getStatus(), body: exception.getResponse(), challenge };
}

describe('decision → HTTP (RFC 6750 §3)', () => {
  it('maps a missing-credentials challenge to 401 with a bare Bearer challenge', () => {
    expect(mapped(AuthorizationDecision.challenge('CREDENTIALS_MISSING'))).toEqual({
      status: 401,
      challenge: 'Bearer realm="api"',
      body: {
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Authentication required',
        reason: 'CREDENTIALS_MISSING',
      },
    });
  });

  it.each(['TOKEN_INVALID', 'TOKEN_EXPIRED'] as const)('maps %s to 401 invalid_token', (reason) => {
    const { status, challenge } = mapped(AuthorizationDecision.challenge(reason));
    expect(status).toBe(401);
    expect(challenge).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/,
    );
  });

  it.each(['CREDENTIALS_MALFORMED', 'CREDENTIALS_AMBIGUOUS'] as const)(
    'maps %s to 400 invalid_request',
    (reason) => {
      const { status, challenge, body } = mapped(AuthorizationDecision.challenge(reason));
      expect(status).toBe(400);
      expect(challenge).toMatch(
        /^Bearer realm="api", error="invalid_request", error_description="[^"]+"$/,
      );
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', reason });
    },
  );

  it('maps a scope denial to 403 insufficient_scope with the scope attribute', () => {
    expect(mapped(AuthorizationDecision.deny('INSUFFICIENT_SCOPE', ['a:read', 'b:write']))).toEqual(
      {
        status: 403,
        challenge:
          'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="a:read b:write"',
        body: {
          statusCode: 403,
          error: 'Forbidden',
          message: 'The access token lacks a required scope',
          reason: 'INSUFFICIENT_SCOPE',
        },
      },
    );
  });

  it.each([
    'INSUFFICIENT_ROLE',
    'PERMISSION_DENIED',
    'POLICY_DENIED',
    'RELATION_DENIED',
    'TENANT_MISMATCH',
    'REFERENCE_UNRESOLVED',
  ] as const)('maps %s to 403 insufficient_scope without a scope attribute', (reason) => {
    const { status, challenge } = mapped(AuthorizationDecision.deny(reason));
    expect(status).toBe(403);
    expect(challenge).toMatch(
      /^Bearer realm="api", error="insufficient_scope", error_description="[^"]+"$/,
    );
  });

  it.each([
    'DEPENDENCY_UNAVAILABLE',
    'PROVIDER_FAILED',
    'PROVIDER_CONTRACT_VIOLATION',
    'ROUTE_NOT_REGISTERED',
    'UNSUPPORTED_CONTEXT',
  ] as const)('maps %s to 503 with no challenge, never to a bad token', (reason) => {
    const cause = new Error('secret-bearing detail');
    const { status, challenge, body } = mapped(AuthorizationDecision.error(reason, cause));
    expect(status).toBe(503);
    expect(challenge).toBeUndefined();
    expect(body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Authorization is temporarily unavailable',
      reason,
    });
  });

  it('refuses, rather than passes, an ALLOW that reaches the mapper', () => {
    expect(mapped(AuthorizationDecision.allow()).status).toBe(503);
  });
});

describe('AuthorizationDecision', () => {
  it('is immutable and describes itself without its cause', () => {
    const decision = AuthorizationDecision.error('PROVIDER_FAILED', new Error('token=abc'));
    expect(Object.isFrozen(decision)).toBe(true);
    expect(String(decision)).toBe('ERROR(PROVIDER_FAILED)');
    expect(decision.allowed).toBe(false);
    expect(AuthorizationDecision.allow().allowed).toBe(true);
    expect(AuthorizationDecision.deny('INSUFFICIENT_SCOPE', ['a']).requiredScopes).toEqual(['a']);
  });
});
