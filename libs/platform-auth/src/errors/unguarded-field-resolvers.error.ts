import { PlatformAuthError } from './platform-auth.error.js';

const MAX_LISTED = 10;

/**
 * Thrown at boot by `PlatformAuthGraphqlModule` (`@nest-platform/auth/graphql`) when the app has
 * protected `@ResolveField` resolvers (decorated, or protected by default) but `GraphQLModule`
 * runs no guards on field resolvers: Nest applies guards to them only with
 * `fieldResolverEnhancers: ['guards']`, and without it their values would be served to anyone.
 */
export class UnguardedFieldResolversError extends PlatformAuthError<'FIELD_RESOLVERS_UNGUARDED'> {
  override readonly name = 'UnguardedFieldResolversError';

  constructor(
    /** The field coordinates and handlers that would run unguarded (`Book.secret (BooksResolver#secret)`). */
    readonly fields: readonly string[],
  ) {
    const shown =
      fields.slice(0, MAX_LISTED).join(', ') +
      (fields.length > MAX_LISTED ? ` and ${fields.length - MAX_LISTED} more` : '');
    super(
      'FIELD_RESOLVERS_UNGUARDED',
      [
        `Protected GraphQL field resolvers would run without PlatformAuthGuard: ${shown}. ` +
          'Nest runs guards on @ResolveField methods only when GraphQLModule is configured with ' +
          "fieldResolverEnhancers: ['guards'].",
        "Fix: add fieldResolverEnhancers: ['guards'] to GraphQLModule.forRoot() (or spread " +
          'GraphqlAuth#apollo() / #mercurius() into its options), or mark the fields @Public().',
      ].join('\n'),
    );
  }
}
