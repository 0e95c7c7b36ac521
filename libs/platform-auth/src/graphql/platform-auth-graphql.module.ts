import { Global, Module, SetMetadata } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { LIBRARY_MODULE_METADATA } from '../modules/provider-origin.js';
import { GraphqlAuth } from './graphql-auth.js';
import { GraphqlRoutes } from './graphql-routes.js';
import { GraphqlAuthTransport } from './graphql.transport.js';

/**
 * Adds GraphQL (`@nestjs/graphql`) to the guard's transports: import it once, in the root
 * module, beside `PlatformAuthModule`. Global, so `GraphQLModule.forRootAsync({ inject:
 * [GraphqlAuth] })` finds {@link GraphqlAuth}. At boot it refuses an app whose protected field
 * resolvers Nest would run without guards (`fieldResolverEnhancers: ['guards']` missing).
 */
@Global()
@SetMetadata(LIBRARY_MODULE_METADATA, true)
@Module({
  imports: [DiscoveryModule],
  providers: [GraphqlAuthTransport, GraphqlRoutes, GraphqlAuth],
  exports: [GraphqlAuth],
})
export class PlatformAuthGraphqlModule {}
