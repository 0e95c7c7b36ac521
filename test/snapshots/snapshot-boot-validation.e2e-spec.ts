import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  AuthCapability,
  AuthorizationDecision,
  AuthProvider,
  AuthSnapshotVerifier,
  CapabilityValidationError,
  PlatformAuthModule,
  Protected,
  Public,
} from '@nest-platform/auth';
import { AuthSnapshotModule } from '@nest-platform/auth/snapshots';
import { bootError, PLATFORMS } from '../fixtures/platforms.js';
import { serviceKey } from './snapshot-keys.js';

@Controller('health')
class HealthController {
  @Get()
  @Public()
  health() {
    return {};
  }
}

@Controller()
class OrderHandlers {
  @MessagePattern('orders.get')
  @Protected()
  get() {
    return {};
  }
}

@Injectable()
@AuthProvider(AuthCapability.SnapshotVerify)
class OnlyAVerifier implements AuthSnapshotVerifier {
  async verify() {
    return AuthorizationDecision.challenge('SNAPSHOT_INVALID');
  }
}

function appWith(
  imports: unknown[],
  providers: unknown[],
  controllers: Function[] = [HealthController],
) {
  @Module({
    imports: imports as never[],
    providers: providers as never[],
    controllers: controllers as never[],
  })
  class ScenarioModule {}
  return ScenarioModule;
}

const [express] = PLATFORMS;

describe('boot validation with snapshots', () => {
  it('refuses to boot with snapshots enabled and neither a signer nor a verifier', async () => {
    const error = await bootError(
      express,
      appWith([PlatformAuthModule.forRoot({ snapshots: { enabled: true } })], []),
    );
    expect(error).toBeInstanceOf(CapabilityValidationError);
    expect((error as CapabilityValidationError).problems).toEqual([
      {
        capability: 'SnapshotSign',
        neededBy: [expect.stringContaining('snapshots')],
        providers: [],
        origins: [],
      },
      {
        capability: 'SnapshotVerify',
        neededBy: [expect.stringContaining('snapshots')],
        providers: [],
        origins: [],
      },
    ]);
  });

  it('refuses to boot with snapshots enabled and the signer missing', async () => {
    const error = await bootError(
      express,
      appWith([PlatformAuthModule.forRoot({ snapshots: { enabled: true } })], [OnlyAVerifier]),
    );
    expect((error as CapabilityValidationError).problems.map((p) => p.capability)).toEqual([
      'SnapshotSign',
    ]);
  });

  it('refuses to boot with two verifiers', async () => {
    const key = await serviceKey('k');
    const error = await bootError(
      express,
      appWith(
        [
          PlatformAuthModule.forRoot({ snapshots: { enabled: true } }),
          AuthSnapshotModule.forRoot({
            trustDomain: 'd',
            issuer: 'a',
            signingKey: { kid: key.kid, privateKey: key.privateKey },
            verificationKeys: { keys: [key.publicJwk] },
          }),
        ],
        [OnlyAVerifier],
      ),
    );
    expect((error as CapabilityValidationError).problems).toEqual([
      expect.objectContaining({
        capability: 'SnapshotVerify',
        providers: expect.arrayContaining(['OnlyAVerifier', 'JoseAuthSnapshotVerifier']),
      }),
    ]);
  });

  it('requires a verifier (not an authentication provider) for a protected message handler', async () => {
    const error = await bootError(
      express,
      appWith([PlatformAuthModule.forRoot()], [], [OrderHandlers]),
    );
    expect((error as CapabilityValidationError).problems).toEqual([
      { capability: 'SnapshotVerify', neededBy: ['OrderHandlers#get'], providers: [], origins: [] },
    ]);
  });

  it('boots with AuthSnapshotModule', async () => {
    const key = await serviceKey('k');
    expect(
      await bootError(
        express,
        appWith(
          [
            PlatformAuthModule.forRoot({ snapshots: { enabled: true } }),
            AuthSnapshotModule.forRoot({
              trustDomain: 'd',
              issuer: 'a',
              signingKey: { kid: key.kid, privateKey: key.privateKey },
              verificationKeys: { keys: [key.publicJwk] },
            }),
          ],
          [],
          [HealthController, OrderHandlers],
        ),
      ),
    ).toBeUndefined();
  });
});
