import { describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthContextAccessor } from './context/auth-context.accessor.js';
import { runWithAuthContext } from './context/auth-context.storage.js';
import { createAuthContext } from './context/create-auth-context.js';
import { AuthContextUnavailableError } from './errors/auth-context-unavailable.error.js';
import { PLATFORM_AUTH_OPTIONS } from './platform-auth.tokens.js';
import { PlatformAuthModule } from './platform-auth.module.js';
import type {
  PlatformAuthModuleOptions,
  ResolvedPlatformAuthOptions,
} from './platform-auth.options.js';

async function resolvedOptions(module: ReturnType<typeof PlatformAuthModule.forRoot>) {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const options = moduleRef.get<ResolvedPlatformAuthOptions>(PLATFORM_AUTH_OPTIONS);
  await moduleRef.close();
  return options;
}

@Injectable()
class AuthConfig {
  create(): PlatformAuthModuleOptions {
    return { realm: 'from-class' };
  }
}

@Module({ providers: [AuthConfig], exports: [AuthConfig] })
class ConfigModule {}

describe('PlatformAuthModule', () => {
  it('forRoot() applies the defaults', async () => {
    expect(await resolvedOptions(PlatformAuthModule.forRoot())).toEqual({
      realm: 'api',
      defaultAccess: 'protected',
      acceptQueryToken: false,
      logRouteTable: false,
      now: Date.now,
      snapshots: { enabled: false, acceptOnHttp: false },
    });
  });

  it('forRoot() takes static options', async () => {
    const options = await resolvedOptions(
      PlatformAuthModule.forRoot({
        realm: 'documents',
        defaultAccess: 'public',
        acceptQueryToken: true,
      }),
    );
    expect(options).toMatchObject({
      realm: 'documents',
      defaultAccess: 'public',
      acceptQueryToken: true,
    });
  });

  it('forRootAsync() with useFactory and inject', async () => {
    const options = await resolvedOptions(
      PlatformAuthModule.forRootAsync({
        imports: [ConfigModule],
        useFactory: async (config: AuthConfig) => ({ ...config.create(), logRouteTable: true }),
        inject: [AuthConfig],
      }),
    );
    expect(options).toMatchObject({ realm: 'from-class', logRouteTable: true });
  });

  it('forRootAsync() with useClass', async () => {
    expect(
      await resolvedOptions(PlatformAuthModule.forRootAsync({ useClass: AuthConfig })),
    ).toMatchObject({
      realm: 'from-class',
    });
  });

  it('forRootAsync() with useExisting', async () => {
    const options = await resolvedOptions(
      PlatformAuthModule.forRootAsync({ imports: [ConfigModule], useExisting: AuthConfig }),
    );
    expect(options).toMatchObject({ realm: 'from-class' });
  });

  it('is global by default and can be made local', () => {
    expect(PlatformAuthModule.forRoot().global).toBe(true);
    expect(PlatformAuthModule.forRoot({ isGlobal: false }).global).toBe(false);
  });

  describe('refuses bad options, naming the option', () => {
    it.each([
      [{ realm: '' }, 'option "realm"'],
      [{ realm: 'a"b' }, 'option "realm"'],
      [{ defaultAccess: 'open' }, 'option "defaultAccess" must be "protected" or "public"'],
      [{ acceptQueryToken: 'yes' }, 'option "acceptQueryToken" must be a boolean'],
      [{ logRouteTable: 1 }, 'option "logRouteTable" must be a boolean'],
      [{ snapshots: { enabled: 'true' } }, 'option "snapshots.enabled" must be a boolean'],
      [{ snapshots: null }, 'option "snapshots" must be an object'],
      [{ relm: 'typo' }, 'unknown option "relm"'],
    ])('forRoot(%j) throws at once', (options, message) => {
      expect(() => PlatformAuthModule.forRoot(options as PlatformAuthModuleOptions)).toThrow(
        TypeError,
      );
      expect(() => PlatformAuthModule.forRoot(options as PlatformAuthModuleOptions)).toThrow(
        message,
      );
    });

    it('forRootAsync() fails module compilation', async () => {
      const compiling = Test.createTestingModule({
        imports: [
          PlatformAuthModule.forRootAsync({
            useFactory: () =>
              ({ defaultAccess: 'everyone' }) as unknown as PlatformAuthModuleOptions,
          }),
        ],
      }).compile();
      await expect(compiling).rejects.toThrow(
        'option "defaultAccess" must be "protected" or "public"',
      );
    });
  });
});

describe('AuthContextAccessor', () => {
  const accessor = new AuthContextAccessor();
  const context = createAuthContext({ subject: 's', issuer: 'https://i', principalType: 'client' });

  it('returns the context of the current call tree', async () => {
    await runWithAuthContext(context, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      expect(accessor.get()).toBe(context);
      expect(accessor.require()).toBe(context);
    });
  });

  it('has nothing outside one, and require() says so with a typed error', () => {
    expect(accessor.get()).toBeUndefined();
    expect(() => accessor.require()).toThrow(AuthContextUnavailableError);
    try {
      accessor.require();
    } catch (error) {
      expect((error as AuthContextUnavailableError).code).toBe('AUTH_CONTEXT_UNAVAILABLE');
    }
  });
});
