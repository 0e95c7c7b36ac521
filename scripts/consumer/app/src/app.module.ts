import { randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { PlatformAuthModule } from '@nest-platform/auth';
import { JwtAuthModule } from '@nest-platform/auth/jwt';
import { AuthSnapshotModule } from '@nest-platform/auth/snapshots';
import { PlatformClientModule } from '@nest-platform/client';
import { DocumentsController } from './documents.controller.js';

const secret = { kid: 'consumer-1', secret: randomBytes(32) };

/** A stranger's app: inbound JWT auth from a real issuer, and a client forwarding its caller. */
@Module({
  imports: [
    PlatformAuthModule.forRoot({ realm: 'consumer', snapshots: { enabled: true } }),
    JwtAuthModule.forRootAsync({
      useFactory: () => ({
        issuers: [{ issuer: required('ISSUER'), audience: required('AUDIENCE') }],
        allowHttp: true,
      }),
    }),
    AuthSnapshotModule.forRoot({
      trustDomain: 'urn:consumer',
      issuer: 'consumer',
      signingKey: secret,
      verificationKeys: [secret],
    }),
    PlatformClientModule.forRootAsync({
      useFactory: () => ({
        baseUrl: `http://127.0.0.1:${required('PORT')}`,
        allowHttp: true,
        forwardAuth: true,
        retries: 0,
      }),
    }),
  ],
  controllers: [DocumentsController],
})
export class AppModule {}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
