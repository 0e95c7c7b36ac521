import { Logger } from '@nestjs/common';
import type { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';

const logger = new Logger('PlatformAuth');

/** Calls a port; a throw (or a rejected promise) becomes `ERROR(PROVIDER_FAILED)`. */
export async function callPort<T>(
  route: string,
  capability: AuthCapability,
  call: () => Promise<T>,
): Promise<T | AuthorizationDecision> {
  try {
    return await call();
  } catch (error) {
    logger.error(
      `${capability} provider failed for ${route}: ${describeError(error)}; the request is refused (503).`,
    );
    return AuthorizationDecision.error('PROVIDER_FAILED', error);
  }
}

/** A port broke its contract (or is missing): logged, and refused as `ERROR` (503). */
export function contractViolation(
  route: string,
  capability: AuthCapability,
  what: string,
): AuthorizationDecision {
  logger.error(
    `${capability} provider returned ${what} for ${route}; the request is refused (503).`,
  );
  return AuthorizationDecision.error('PROVIDER_CONTRACT_VIOLATION');
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`;
  }
  return typeof error;
}
