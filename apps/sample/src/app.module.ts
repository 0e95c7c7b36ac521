import { Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { PlatformModule } from '@nest-platform/client';
import { AppController } from './app.controller.js';
import { sampleClientOptions } from './config/sample-client.options.js';
import { SampleEndpoints } from './config/sample-endpoints.js';
import { sampleJwtOptions } from './config/sample-jwt.options.js';
import { sampleAuthOptions } from './config/sample-auth.options.js';
import { DocumentsController } from './documents/documents.controller.js';
import { DocumentsService } from './documents/documents.service.js';
import { OutboundController } from './outbound/outbound.controller.js';

/** Resolves the API and issuer endpoints (and starts the embedded issuer) once, for everyone. */
@Global()
@Module({
  providers: [
    { provide: SampleEndpoints, useFactory: SampleEndpoints.fromConfig, inject: [ConfigService] },
  ],
  exports: [SampleEndpoints],
})
export class SampleEndpointsModule {}

/**
 * The sample API: `PlatformModule` with inbound JWT auth (the embedded issuer, or the external
 * one of `PLATFORM_AUTH_*`) and the outbound `PlatformClient`, configured from the environment
 * through `@nestjs/config`.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    SampleEndpointsModule,
    PlatformModule.forRootAsync({
      auth: {
        // The metadata document (RFC 9728) of a resource identifier without a path: the API's URL.
        serveResourceMetadata: true,
        inject: [SampleEndpoints],
        useFactory: sampleAuthOptions,
      },
      jwt: { inject: [ConfigService, SampleEndpoints], useFactory: sampleJwtOptions },
      client: { inject: [ConfigService, SampleEndpoints], useFactory: sampleClientOptions },
    }),
  ],
  controllers: [AppController, DocumentsController, OutboundController],
  providers: [DocumentsService],
})
export class AppModule {}
