import { describe, expect, it } from '@jest/globals';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { AuthContextUnavailableError } from './auth-context-unavailable.error.js';
import { AuthTransportError } from './auth-transport.error.js';
import { AuthorizationFailedError } from './authorization-failed.error.js';
import { isPlatformAuthError, type KnownPlatformAuthError } from './known-platform-auth-error.js';
import { PlatformAuthError } from './platform-auth.error.js';
import { RemoteFetchError } from './remote-fetch.error.js';
import { ReplayStoreFullError } from './replay-store-full.error.js';

/** What a caller's `switch` reads; it compiles only because `code` narrows to one class. */
function describeError(error: KnownPlatformAuthError): string {
  switch (error.code) {
    case 'REMOTE_FETCH_FAILED':
      return `fetch: ${error.failure}`;
    case 'AUTHORIZATION_FAILED':
      return `refused: ${error.decision.state}`;
    case 'TRANSPORT_CONFLICT':
    case 'TRANSPORT_MISSING':
      return `transport: ${error.name}`;
    case 'REPLAY_STORE_FULL':
    case 'REPLAY_STORE_UNAVAILABLE':
    case 'AUTH_CONTEXT_UNAVAILABLE':
    case 'AUTH_GUARD_MISSING':
    case 'CAPABILITY_VALIDATION_FAILED':
    case 'CONFLICTING_AUTH_METADATA':
    case 'INVALID_CONFIGURATION':
    case 'MESSAGE_HANDLERS_UNGUARDED':
    case 'FIELD_RESOLVERS_UNGUARDED':
    case 'UNSUPPORTED_REQUIREMENT':
    case 'SNAPSHOT_MINT_REFUSED':
      return error.name;
    default: {
      const unhandled: never = error; // a new class without a case fails the typecheck here
      return unhandled;
    }
  }
}

describe('the platform-auth error model', () => {
  const errors = [
    new RemoteFetchError('TIMEOUT', 'no response'),
    new ReplayStoreFullError('MemoryReplayStore'),
    new AuthorizationFailedError(AuthorizationDecision.deny('PERMISSION_DENIED')),
    new AuthTransportError('TRANSPORT_MISSING', 'no transport'),
    new AuthContextUnavailableError(),
  ];

  it('makes every error a PlatformAuthError with a fixed code and a name ending in Error', () => {
    for (const error of errors) {
      expect(error).toBeInstanceOf(PlatformAuthError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toMatch(/^[A-Z]\w+Error$/);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(errors.map((error) => error.code)).toEqual([
      'REMOTE_FETCH_FAILED',
      'REPLAY_STORE_FULL',
      'AUTHORIZATION_FAILED',
      'TRANSPORT_MISSING',
      'AUTH_CONTEXT_UNAVAILABLE',
    ]);
  });

  it('narrows a caught value by code', () => {
    const described = errors.map((caught: unknown) =>
      isPlatformAuthError(caught) ? describeError(caught) : 'foreign',
    );
    expect(described).toEqual([
      'fetch: TIMEOUT',
      'ReplayStoreFullError',
      'refused: DENY',
      'transport: AuthTransportError',
      'AuthContextUnavailableError',
    ]);
    expect(isPlatformAuthError(new Error('x'))).toBe(false);
    expect(isPlatformAuthError(new TypeError('x'))).toBe(false);
  });
});
