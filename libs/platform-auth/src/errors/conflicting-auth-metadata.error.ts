import { PlatformAuthError } from './platform-auth.error.js';

/** One route whose auth decorators contradict each other. */
export interface AuthMetadataConflict {
  /** `Controller#method`. */
  readonly route: string;
  /** What contradicts what, e.g. `@Public() with @RequireScope('documents:read')`. */
  readonly detail: string;
}

/**
 * Thrown at boot when a route is both `@Public()` and carries a requirement (or `@Protected()`).
 * Lists every conflicting route at once.
 */
export class ConflictingAuthMetadataError extends PlatformAuthError<'CONFLICTING_AUTH_METADATA'> {
  override readonly name = 'ConflictingAuthMetadataError';

  constructor(readonly conflicts: readonly AuthMetadataConflict[]) {
    super('CONFLICTING_AUTH_METADATA', formatConflicts(conflicts));
  }
}

function formatConflicts(conflicts: readonly AuthMetadataConflict[]): string {
  const lines = conflicts.map(({ route, detail }) => `  - ${route}: ${detail}`);
  return [
    `@Public() cannot be combined with @Protected() or any requirement on the same route (${conflicts.length} route(s)):`,
    ...lines,
    'Potential solutions:',
    '  - remove @Public() to keep the route protected with its requirements, or',
    '  - remove the requirements (and @Protected()) to make the route public, or',
    '  - move the public handler to a controller without class-level requirements.',
  ].join('\n');
}
