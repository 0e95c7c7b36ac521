import type { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { CAPABILITY_PORT_NAMES } from '../capabilities/capability-port-names.js';
import { describeOrigin, type ProviderOrigin } from '../modules/provider-origin.js';
import { PlatformAuthError } from './platform-auth.error.js';

/** A needed capability without exactly one provider. */
export interface CapabilityProblem {
  readonly capability: AuthCapability;
  /** Who needs it: `Controller#method` entries, or `snapshots` for snapshot propagation. */
  readonly neededBy: readonly string[];
  /** Names of the providers declaring it (empty when there are none). */
  readonly providers: readonly string[];
  /** Where each of {@link providers} was registered, in the same order. */
  readonly origins: readonly ProviderOrigin[];
  /** The one provider found does not implement the port (the method it lacks). */
  readonly missingMethod?: string;
}

/**
 * Thrown at boot when a needed capability has no provider or more than one. Lists every
 * offending capability at once, with who needs it, what was found and where it was
 * registered, and how to fix it.
 */
export class CapabilityValidationError extends PlatformAuthError<'CAPABILITY_VALIDATION_FAILED'> {
  override readonly name = 'CapabilityValidationError';

  constructor(readonly problems: readonly CapabilityProblem[]) {
    super('CAPABILITY_VALIDATION_FAILED', formatProblems(problems));
  }
}

const MAX_LISTED_ROUTES = 10;
const TESTING_MODULE = 'PlatformAuthTestingModule';
const JWT_MODULE = 'JwtAuthModule';
/** The capabilities `JwtAuthModule` registers checkers for, unless `checkers: false`. */
const JWT_CHECKERS: ReadonlySet<string> = new Set(['ScopeCheck', 'RoleCheck']);

function formatProblems(problems: readonly CapabilityProblem[]): string {
  const lines = [`Auth capability validation failed (${problems.length} problem(s)):`];
  for (const problem of problems) {
    const { capability, neededBy, providers, origins } = problem;
    const port = CAPABILITY_PORT_NAMES[capability];
    const shown = neededBy.slice(0, MAX_LISTED_ROUTES).join(', ');
    const more =
      neededBy.length > MAX_LISTED_ROUTES ? ` and ${neededBy.length - MAX_LISTED_ROUTES} more` : '';
    lines.push(`  - ${capability}: needed by ${shown}${more}`);
    if (problem.missingMethod !== undefined) {
      lines.push(
        `      found ${providers[0]}, which has no ${problem.missingMethod}() method.`,
        `      Fix: implement ${port} (class ${providers[0]} implements ${port}).`,
      );
    } else if (providers.length === 0) {
      lines.push(
        '      found no provider.',
        `      Fix: register a provider that implements ${port} and is decorated with ` +
          `@AuthProvider(AuthCapability.${capability}), e.g. { provide: ${port}, useClass: MyImplementation }.`,
      );
    } else {
      const found = providers.map((name, i) =>
        origins[i] === undefined ? name : `${name}, ${describeOrigin(origins[i])}`,
      );
      lines.push(
        `      found ${providers.length} providers: ${found.join('; ')}.`,
        `      Fix: ${duplicateFix(problem)}`,
      );
    }
  }
  return lines.join('\n');
}

/** The fix that applies to several providers of one capability, from where they came from. */
function duplicateFix({ capability, providers, origins }: CapabilityProblem): string {
  const jwt = origins.filter((o) => o.library && o.module === JWT_MODULE);
  const viaTesting = jwt.filter((o) => o.importedBy === TESTING_MODULE);
  const own = providers.filter((_, i) => origins[i] !== undefined && !origins[i].library);
  const ownModules = [...new Set(origins.filter((o) => !o.library).map((o) => o.module))];
  if (viaTesting.length > 0 && jwt.length > viaTesting.length) {
    return (
      `${TESTING_MODULE} already imports PlatformAuthModule and ${JWT_MODULE}: do not import ` +
      `${JWT_MODULE} beside it (${TESTING_MODULE}.forRoot({ issuer, claims, auth }) takes their options). ` +
      `To test an AppModule that already imports them, drop ${TESTING_MODULE} and use ` +
      `useTestIssuer(Test.createTestingModule({ imports: [AppModule] }), { issuer }).`
    );
  }
  const libraryModules = origins.filter((o) => o.library).map((o) => o.module);
  const repeated = libraryModules.find((m, i) => libraryModules.indexOf(m) !== i);
  if (repeated !== undefined) {
    const count = libraryModules.filter((m) => m === repeated).length;
    return `${repeated} is imported ${count} times: import it once, in the root module.`;
  }
  if (jwt.length > 0 && own.length > 0) {
    const registrant =
      viaTesting.length > 0 ? `${TESTING_MODULE} (through ${JWT_MODULE})` : JWT_MODULE;
    const remove = `remove ${own.join(', ')} from ${ownModules.join(', ')} providers`;
    if (!JWT_CHECKERS.has(capability)) {
      return `${registrant} already supplies ${capability}: ${remove}, or do not import ${JWT_MODULE}.`;
    }
    const port = CAPABILITY_PORT_NAMES[capability];
    const alternative =
      viaTesting.length > 0
        ? ''
        : `, or pass checkers: false to ${JWT_MODULE}.forRoot() to supply your own ${port} instead`;
    return `${registrant} already registers a claim-based ${port}: ${remove}${alternative}.`;
  }
  return (
    `keep exactly one provider for ${capability}; remove the others or drop ` +
    `AuthCapability.${capability} from their @AuthProvider(...) declaration.`
  );
}
