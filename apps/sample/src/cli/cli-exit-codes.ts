/**
 * Exit codes of the sample CLI (documented in docs/cli.md). Scripts can rely on them.
 */
export const ExitCode = {
  /** Done. */
  Ok: 0,
  /** Something failed (issuer unreachable, unexpected answer, cache not writable, …). */
  Failure: 1,
  /** Wrong flags, arguments or configuration (the message names the flag or variable). */
  Usage: 2,
  /** Not logged in, or the session expired and cannot be refreshed: run `login`. */
  NotLoggedIn: 3,
  /** The login did not succeed: denied, the code expired, or the issuer refused it. */
  LoginFailed: 4,
  /** `call`: the API answered with an error status (4xx or 5xx); status and body are printed. */
  HttpError: 5,
  /** Interrupted (Ctrl-C). */
  Interrupted: 130,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
