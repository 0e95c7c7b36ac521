import { PlatformAuthError } from './platform-auth.error.js';

/**
 * Why {@link UnguardedMessageHandlersError} was thrown:
 * - `not-inherited`: the app-wide guard is not in the microservice's pipeline (a microservice
 *   connected with `app.connectMicroservice()` without `inheritAppConfig: true`);
 * - `stopped-before-guard`: a global guard or pre-request hook that runs before it refused the
 *   check, so it could not be confirmed;
 * - `unverifiable`: the check could not run on this transport server.
 */
export type UnguardedReason = 'not-inherited' | 'stopped-before-guard' | 'unverifiable';

const MAX_LISTED = 10;
const INHERIT = 'app.connectMicroservice(options, { inheritAppConfig: true })';

/**
 * Thrown when a microservice with message handlers is about to start (or at boot, when it was
 * connected before) although `PlatformAuthGuard` does not run for its handlers: its
 * `@MessagePattern`/`@EventPattern` handlers would run unauthenticated. The microservice does
 * not start; `app.init()` / `app.listen()` or `startAllMicroservices()` reject with it.
 */
export class UnguardedMessageHandlersError extends PlatformAuthError<'MESSAGE_HANDLERS_UNGUARDED'> {
  override readonly name = 'UnguardedMessageHandlersError';

  constructor(
    /** The transport server's class (`ServerTCP`, `ServerRedis`, …). */
    readonly server: string,
    /** The patterns it would serve. */
    readonly patterns: readonly string[],
    readonly reason: UnguardedReason,
  ) {
    super('MESSAGE_HANDLERS_UNGUARDED', formatMessage(server, patterns, reason));
  }
}

function formatMessage(server: string, patterns: readonly string[], reason: UnguardedReason) {
  const shown =
    patterns.slice(0, MAX_LISTED).join(', ') +
    (patterns.length > MAX_LISTED ? ` and ${patterns.length - MAX_LISTED} more` : '');
  const subject = `The ${server} microservice has message handlers (${shown})`;
  switch (reason) {
    case 'not-inherited':
      return [
        `${subject} that the app-wide PlatformAuthGuard does not reach: they would run ` +
          'without authentication. A microservice connected with app.connectMicroservice() runs ' +
          "the app's global guards only when it inherits the app's configuration. It was not started.",
        `Fix: ${INHERIT}.`,
      ].join('\n');
    case 'stopped-before-guard':
      return [
        `${subject}, and PlatformAuthGuard could not be confirmed to reach them: a global guard ` +
          'or pre-request hook that runs before it refused the check. It was not started.',
        `Fix: connect it with ${INHERIT}; if it is, let that guard or hook pass messages it does ` +
          'not handle (PlatformAuthGuard refuses those without credentials itself).',
      ].join('\n');
    case 'unverifiable':
      return [
        `${subject}, and whether PlatformAuthGuard reaches them could not be checked (the check's ` +
          'handler is not registered on this transport server). It was not started.',
        `Fix: connect it with ${INHERIT}, and register PlatformAuthModule in the application ` +
          'the microservice belongs to.',
      ].join('\n');
  }
}
