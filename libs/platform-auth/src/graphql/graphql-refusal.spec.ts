import { describe, expect, it } from '@jest/globals';
import { Credentials } from '../credentials/credentials.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { readConnectionCredentials } from './connection-credentials.js';
import { GraphqlRefusalError, toGraphqlRefusal } from './graphql-refusal.js';

describe('toGraphqlRefusal', () => {
  it.each([
    [AuthorizationDecision.challenge('CREDENTIALS_MISSING'), 'UNAUTHENTICATED', 401, 4401],
    [AuthorizationDecision.challenge('CREDENTIALS_MALFORMED'), 'BAD_REQUEST', 400, 4400],
    [AuthorizationDecision.challenge('CREDENTIALS_AMBIGUOUS'), 'BAD_REQUEST', 400, 4400],
    [AuthorizationDecision.challenge('TOKEN_EXPIRED'), 'UNAUTHENTICATED', 401, 4401],
    [AuthorizationDecision.deny('INSUFFICIENT_SCOPE', ['a:b']), 'FORBIDDEN', 403, 4403],
    [AuthorizationDecision.deny('TENANT_MISMATCH'), 'FORBIDDEN', 403, 4403],
    [AuthorizationDecision.error('DEPENDENCY_UNAVAILABLE'), 'SERVICE_UNAVAILABLE', 503, 1013],
    [AuthorizationDecision.allow(), 'SERVICE_UNAVAILABLE', 503, 1013],
  ])('%o → %s, %d, close %d', (decision, code, status, closeCode) => {
    const refusal = toGraphqlRefusal(decision, 'books');
    expect(refusal).toMatchObject({
      extensions: { code, reason: decision.reason },
      status,
      closeCode,
    });
    expect(refusal.challenge === undefined).toBe(status === 503);
  });

  it('names the required scope in the challenge and never more than the fixed message', () => {
    const refusal = toGraphqlRefusal(
      AuthorizationDecision.deny('INSUFFICIENT_SCOPE', ['a:b']),
      'books',
    );
    expect(refusal.challenge).toBe(
      'Bearer realm="books", error="insufficient_scope", error_description="The access token lacks a required scope", scope="a:b"',
    );
    const error = new GraphqlRefusalError(refusal);
    expect(error.message).toBe('The access token lacks a required scope');
    expect(error.extensions).toEqual({ code: 'FORBIDDEN', reason: 'INSUFFICIENT_SCOPE' });
  });
});

describe('readConnectionCredentials', () => {
  it('reads a bearer token from authorization in any case, or from headers', () => {
    for (const payload of [
      { authorization: 'Bearer abc' },
      { Authorization: 'bearer abc' },
      { headers: { authorization: 'Bearer abc' } },
    ]) {
      const read = readConnectionCredentials(payload);
      expect(read).toBeInstanceOf(Credentials);
      expect((read as Credentials).value).toBe('abc');
    }
  });

  it('has no credentials without the key, for another scheme, or without a payload', () => {
    expect(readConnectionCredentials(undefined)).toBeUndefined();
    expect(readConnectionCredentials({})).toBeUndefined();
    expect(readConnectionCredentials({ authorization: 'Basic YTpi' })).toBeUndefined();
  });

  it('refuses malformed and ambiguous values', () => {
    const reason = (payload: unknown) =>
      (readConnectionCredentials(payload) as AuthorizationDecision).reason;
    expect(reason({ authorization: 'Bearer a b' })).toBe('CREDENTIALS_MALFORMED');
    expect(reason({ authorization: 42 })).toBe('CREDENTIALS_MALFORMED');
    expect(reason({ authorization: 'Bearer a', Authorization: 'Bearer b' })).toBe(
      'CREDENTIALS_AMBIGUOUS',
    );
    expect(reason({ authorization: 'Bearer a', headers: { authorization: 'Bearer a' } })).toBe(
      'CREDENTIALS_AMBIGUOUS',
    );
  });
});
