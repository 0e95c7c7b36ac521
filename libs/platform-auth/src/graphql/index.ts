/**
 * `@nest-platform/auth/graphql`: the guard's GraphQL transport for `@nestjs/graphql` (Apollo and
 * Mercurius drivers). A separate entry so that applications without GraphQL never load
 * `graphql`. See docs/graphql.md.
 */
export { PlatformAuthGraphqlModule } from './platform-auth-graphql.module.js';
export {
  type ApolloAuthConfig,
  type ConnectionResult,
  GraphqlAuth,
  type GraphqlAuthApolloPlugin,
  type GraphqlAuthOptions,
  type GraphqlWsConnectContext,
  type MercuriusAuthConfig,
} from './graphql-auth.js';
export { GraphqlAuthTransport } from './graphql.transport.js';
export { GraphqlInvocation } from './graphql-invocation.js';
export {
  type GraphqlRefusal,
  type GraphqlRefusalCode,
  GraphqlRefusalError,
  type GraphqlRefusalExtensions,
  toGraphqlRefusal,
} from './graphql-refusal.js';
