import { PlatformClientError } from '@nest-platform/client';
import type { LogoutResult } from '@nest-platform/client/login';
import { ApiUnreachable, CliUsageError } from './api-call.js';
import { CliConfigError } from './cli-config.js';
import { ExitCode, type ExitCodeValue } from './cli-exit-codes.js';

/**
 * What a command ends with: a line for stdout (`out`, a result) or stderr (`err`, a problem)
 * and the exit code. Kept apart from the nest-commander commands so the mapping is testable on
 * its own; no line ever contains a token (the library's error messages are written not to).
 */
export interface CliOutcome {
  readonly stream: 'out' | 'err';
  readonly line: string;
  readonly code: ExitCodeValue;
}

/** How a failed command ends: a message a person can act on, and the documented exit code. */
export function failureOutcome(error: unknown, interrupted: boolean): CliOutcome {
  const err = (line: string, code: ExitCodeValue): CliOutcome => ({ stream: 'err', line, code });
  if (interrupted) return err('Interrupted.', ExitCode.Interrupted);
  if (error instanceof CliConfigError) {
    return err(`Configuration error: ${error.message}`, ExitCode.Usage);
  }
  if (error instanceof CliUsageError) return err(`Usage error: ${error.message}`, ExitCode.Usage);
  if (error instanceof ApiUnreachable) {
    return err(
      `${error.message} Is it running (npm start) and is PLATFORM_CLI_API_URL right?`,
      ExitCode.Failure,
    );
  }
  if (error instanceof PlatformClientError) {
    switch (error.code) {
      case 'NOT_LOGGED_IN':
        return err('Not logged in. Run: npm run cli -- login', ExitCode.NotLoggedIn);
      case 'REAUTH_REQUIRED':
        return err(
          'Your session has expired or was revoked. Log in again: npm run cli -- login',
          ExitCode.NotLoggedIn,
        );
      case 'ACCESS_DENIED':
      case 'DEVICE_CODE_EXPIRED':
      case 'AUTHORIZATION_RESPONSE_REJECTED':
        return err(`Login failed: ${error.message}`, ExitCode.LoginFailed);
      case 'TOKEN_ENDPOINT_UNAVAILABLE':
        return err(
          `Could not talk to the issuer: ${error.message} ` +
            'Is it running (npm start starts the embedded one) and is PLATFORM_AUTH_ISSUER right?',
          ExitCode.Failure,
        );
      default:
        return err(`Error (${error.code}): ${error.message}`, ExitCode.Failure);
    }
  }
  return err(
    `Unexpected error: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown'}`,
    ExitCode.Failure,
  );
}

/** What `logout` says for each revocation outcome; a failed revocation exits 1. */
export function logoutOutcome(issuer: string, result: LogoutResult): CliOutcome {
  if (!result.wasLoggedIn) {
    return { stream: 'out', line: `Not logged in to ${issuer}; nothing to do.`, code: ExitCode.Ok };
  }
  switch (result.revocation) {
    case 'revoked':
      return {
        stream: 'out',
        line: `Logged out of ${issuer}: the session was revoked and removed.`,
        code: ExitCode.Ok,
      };
    case 'none':
      return {
        stream: 'out',
        line: `Logged out of ${issuer}: removed the cached session, which held no token to revoke.`,
        code: ExitCode.Ok,
      };
    case 'unsupported':
      return {
        stream: 'out',
        line:
          `Logged out: removed the cached tokens. ${issuer} does not support revocation, ` +
          'so the refresh token stays valid there until it expires.',
        code: ExitCode.Ok,
      };
    case 'failed':
      return {
        stream: 'err',
        line:
          'Removed the cached tokens, but the issuer could not revoke the refresh token ' +
          `(${result.error?.code ?? 'unknown'}): it stays valid there until it expires.`,
        code: ExitCode.Failure,
      };
  }
}
