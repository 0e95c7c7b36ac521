import { describe, expect, it } from '@jest/globals';
import {
  PlatformClientError,
  ReauthRequiredError,
  TokenEndpointUnavailableError,
} from '@nest-platform/client';
import {
  AccessDeniedError,
  AuthorizationResponseError,
  DeviceCodeExpiredError,
  NotLoggedInError,
} from '@nest-platform/client/login';
import { ApiUnreachable, CliUsageError } from './api-call.js';
import { CliConfigError } from './cli-config.js';
import { ExitCode } from './cli-exit-codes.js';
import { failureOutcome, logoutOutcome } from './cli-outcome.js';

const ISSUER = 'http://127.0.0.1:3001';

describe('failureOutcome: what a failed command prints and its exit code', () => {
  it('ReauthRequiredError (refresh token expired or revoked): exit 3, "expired or revoked", log in again', () => {
    expect(failureOutcome(new ReauthRequiredError('revoked'), false)).toEqual({
      stream: 'err',
      line: 'Your session has expired or was revoked. Log in again: npm run cli -- login',
      code: ExitCode.NotLoggedIn,
    });
    expect(ExitCode.NotLoggedIn).toBe(3);
  });

  it('NotLoggedInError: exit 3 with how to log in', () => {
    expect(failureOutcome(new NotLoggedInError(), false)).toMatchObject({
      line: 'Not logged in. Run: npm run cli -- login',
      code: 3,
    });
  });

  it.each([
    ['access_denied from the browser', new AccessDeniedError('End-User aborted')],
    ['expired_token in the device flow', new DeviceCodeExpiredError()],
    ['another authorization error', new AuthorizationResponseError('server_error')],
  ])('%s: exit 4, "Login failed"', (_name, error) => {
    const outcome = failureOutcome(error, false);
    expect(outcome.code).toBe(4);
    expect(outcome.line).toBe(`Login failed: ${error.message}`);
  });

  it('an unreachable issuer: exit 1 with a hint', () => {
    const outcome = failureOutcome(new TokenEndpointUnavailableError('connection refused'), false);
    expect(outcome.code).toBe(1);
    expect(outcome.line).toMatch(/^Could not talk to the issuer: .*PLATFORM_AUTH_ISSUER right\?$/);
  });

  it('a configuration error: exit 2', () => {
    expect(failureOutcome(new CliConfigError('PLATFORM_CLI_PORTS must …'), false)).toMatchObject({
      line: 'Configuration error: PLATFORM_CLI_PORTS must …',
      code: 2,
    });
  });

  it('a usage error of call: exit 2', () => {
    expect(failureOutcome(new CliUsageError('PATH must …'), false)).toMatchObject({
      line: 'Usage error: PATH must …',
      code: 2,
    });
  });

  it('an unreachable API: exit 1 with a hint', () => {
    expect(
      failureOutcome(new ApiUnreachable('http://127.0.0.1:3000', 'ECONNREFUSED'), false),
    ).toMatchObject({
      line: 'Could not reach the API at http://127.0.0.1:3000 (ECONNREFUSED). Is it running (npm start) and is PLATFORM_CLI_API_URL right?',
      code: 1,
    });
  });

  it('an interruption wins over the error it caused: exit 130', () => {
    expect(failureOutcome(new AccessDeniedError(), true)).toMatchObject({
      line: 'Interrupted.',
      code: 130,
    });
  });

  it('other errors: exit 1, with the code or the name, never a stack', () => {
    expect(failureOutcome(new PlatformClientError('THROTTLED', 'slow down'), false)).toMatchObject({
      line: 'Error (THROTTLED): slow down',
      code: 1,
    });
    expect(failureOutcome(new RangeError('boom'), false).line).toBe(
      'Unexpected error: RangeError: boom',
    );
  });
});

describe('logoutOutcome', () => {
  it('revoked: exit 0, says the session was revoked', () => {
    expect(logoutOutcome(ISSUER, { wasLoggedIn: true, revocation: 'revoked' })).toEqual({
      stream: 'out',
      line: `Logged out of ${ISSUER}: the session was revoked and removed.`,
      code: 0,
    });
  });

  it('none: exit 0, says there was nothing to revoke (not "revoked")', () => {
    const outcome = logoutOutcome(ISSUER, { wasLoggedIn: true, revocation: 'none' });
    expect(outcome).toMatchObject({ stream: 'out', code: 0 });
    expect(outcome.line).toContain('which held no token to revoke');
    expect(outcome.line).not.toContain('was revoked');
  });

  it('unsupported: exit 0, warns that the refresh token stays valid at the issuer', () => {
    const outcome = logoutOutcome(ISSUER, { wasLoggedIn: true, revocation: 'unsupported' });
    expect(outcome).toMatchObject({ stream: 'out', code: 0 });
    expect(outcome.line).toMatch(/does not support revocation, so the refresh token stays valid/);
  });

  it('failed: exit 1 on stderr, naming the error code', () => {
    const outcome = logoutOutcome(ISSUER, {
      wasLoggedIn: true,
      revocation: 'failed',
      error: new TokenEndpointUnavailableError('down'),
    });
    expect(outcome).toMatchObject({ stream: 'err', code: 1 });
    expect(outcome.line).toMatch(
      /could not revoke the refresh token \(TOKEN_ENDPOINT_UNAVAILABLE\)/,
    );
  });

  it('not logged in: exit 0, nothing to do', () => {
    expect(logoutOutcome(ISSUER, { wasLoggedIn: false, revocation: 'none' })).toMatchObject({
      line: `Not logged in to ${ISSUER}; nothing to do.`,
      code: 0,
    });
  });
});
