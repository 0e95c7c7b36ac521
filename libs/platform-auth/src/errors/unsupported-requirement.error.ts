import { PlatformAuthError } from './platform-auth.error.js';

/** One route whose requirement this app cannot check. */
export interface UnsupportedRequirement {
  /** `Controller#method`. */
  readonly route: string;
  /** Why, e.g. `@RequireDpop() needs the PlatformAuthModule option "dpop"`. */
  readonly detail: string;
}

/**
 * Thrown at boot when a route carries a requirement that cannot be checked as configured
 * (`@RequireDpop()` without the module's `dpop` option, or on a message handler, which never
 * carries a DPoP proof). Lists every such route at once.
 */
export class UnsupportedRequirementError extends PlatformAuthError<'UNSUPPORTED_REQUIREMENT'> {
  override readonly name = 'UnsupportedRequirementError';

  constructor(readonly routes: readonly UnsupportedRequirement[]) {
    super(
      'UNSUPPORTED_REQUIREMENT',
      [
        `${routes.length} route(s) carry a requirement this app cannot check:`,
        ...routes.map(({ route, detail }) => `  - ${route}: ${detail}`),
      ].join('\n'),
    );
  }
}
