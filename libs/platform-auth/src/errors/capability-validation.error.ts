import type { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { CAPABILITY_PORTS } from '../capabilities/capability-ports.js';
import { PlatformAuthError } from './platform-auth.error.js';

/** A needed capability without exactly one provider. */
export interface CapabilityProblem {
  readonly capability: AuthCapability;
  /** Who needs it: `Controller#method` entries, or `snapshots` for snapshot propagation. */
  readonly neededBy: readonly string[];
  /** Names of the providers declaring it (empty when there are none). */
  readonly providers: readonly string[];
}

/**
 * Thrown at boot when a needed capability has no provider or more than one. Lists every
 * offending capability at once, with who needs it, what was found and how to fix it.
 */
export class CapabilityValidationError extends PlatformAuthError {
  override readonly name = 'CapabilityValidationError';

  constructor(readonly problems: readonly CapabilityProblem[]) {
    super('CAPABILITY_VALIDATION_FAILED', formatProblems(problems));
  }
}

const MAX_LISTED_ROUTES = 10;

function formatProblems(problems: readonly CapabilityProblem[]): string {
  const lines = [`Auth capability validation failed (${problems.length} problem(s)):`];
  for (const { capability, neededBy, providers } of problems) {
    const port = CAPABILITY_PORTS[capability].name;
    const shown = neededBy.slice(0, MAX_LISTED_ROUTES).join(', ');
    const more =
      neededBy.length > MAX_LISTED_ROUTES ? ` and ${neededBy.length - MAX_LISTED_ROUTES} more` : '';
    lines.push(`  - ${capability}: needed by ${shown}${more}`);
    if (providers.length === 0) {
      lines.push(
        '      found no provider.',
        `      Fix: register a provider that implements ${port} and is decorated with ` +
          `@AuthProvider(AuthCapability.${capability}), e.g. { provide: ${port}, useClass: MyImplementation }.`,
      );
    } else {
      lines.push(
        `      found ${providers.length} providers: ${providers.join(', ')}.`,
        `      Fix: keep exactly one provider for ${capability}; remove the others or drop ` +
          `AuthCapability.${capability} from their @AuthProvider(...) declaration.`,
      );
    }
  }
  return lines.join('\n');
}
