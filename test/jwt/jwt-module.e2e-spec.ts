import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module, type Type } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import {
  CapabilityValidationError,
  InvalidConfigurationError,
  PlatformAuthModule,
  RequireScope,
} from '@nest-platform/auth';
import { jwtAuthOptionsFromConfig } from '@nest-platform/auth/config';
import { JwtAuthModule, type JwtAuthModuleOptions } from '@nest-platform/auth/jwt';
import { TestIssuer } from '@nest-platform/auth/testing';
import { bearer, send } from '../fixtures/http-client.js';
import { bootError, CapturingLogger, PLATFORMS, startApp } from '../fixtures/platforms.js';
import { JwtScenarioController } from './jwt-scenario.module.js';

@Controller('scoped')
class ScopedController {
  @Get()
  @RequireScope('documents:read')
  list() {
    return { ok: true };
  }
}

function appWith(
  jwtModule: ReturnType<typeof JwtAuthModule.forRoot>,
  controllers: Type[] = [JwtScenarioController],
) {
  @Module({ imports: [PlatformAuthModule.forRoot(), jwtModule], controllers })
  class App {}
  return App;
}

function envApp(env: Record<string, string>): Type {
  return appWith(
    JwtAuthModule.forRootAsync({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, skipProcessEnv: true, load: [() => env] }),
      ],
      inject: [ConfigService],
      useFactory: jwtAuthOptionsFromConfig,
    }),
  );
}

describe.each(PLATFORMS)('JwtAuthModule configuration ($name)', (platform) => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await TestIssuer.serve({ audience: 'documents-api' });
  });

  afterAll(async () => {
    await issuer.close();
  });

  it('boots from PLATFORM_AUTH_* variables through @nestjs/config and discovers the issuer', async () => {
    const logger = new CapturingLogger();
    const { app, url } = await startApp(
      platform,
      envApp({
        PLATFORM_AUTH_ISSUER: issuer.issuer,
        PLATFORM_AUTH_AUDIENCE: 'documents-api',
        PLATFORM_AUTH_ALLOW_HTTP: 'true',
      }),
      logger,
    );
    try {
      const token = await issuer.token({ scopes: ['documents:read'] });
      expect((await send(url, 'GET', '/documents', bearer(token))).status).toBe(200);
      expect(issuer.count('/.well-known/openid-configuration')).toBeGreaterThanOrEqual(1);
      expect(logger.lines.join('\n')).toContain('allowHttp is on');
    } finally {
      await app.close();
    }
  });

  it('fails boot naming the variable when a value is bad', async () => {
    const error = await bootError(
      platform,
      envApp({
        PLATFORM_AUTH_ISSUER: issuer.issuer,
        PLATFORM_AUTH_AUDIENCE: 'documents-api',
        PLATFORM_AUTH_CLOCK_TOLERANCE_S: 'soon',
      }),
    );
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as Error).message).toContain('PLATFORM_AUTH_CLOCK_TOLERANCE_S');
    // http:// without PLATFORM_AUTH_ALLOW_HTTP is refused too.
    expect((error as Error).message).toContain('PLATFORM_AUTH_ISSUER uses http://');
  });

  it('does not fail boot while the issuer is down', async () => {
    const down = await TestIssuer.serve({ audience: 'documents-api' });
    await down.close();
    const options: JwtAuthModuleOptions = {
      issuers: [{ issuer: down.issuer, audience: 'documents-api' }],
      allowHttp: true,
    };
    const { app, url } = await startApp(platform, appWith(JwtAuthModule.forRoot(options)));
    try {
      const response = await send(url, 'GET', '/me', bearer(await down.sign()));
      expect(response.status).toBe(503);
    } finally {
      await app.close();
    }
  });

  it('accepts forRootAsync with useClass and useExisting', async () => {
    @Injectable()
    class JwtOptionsFactory {
      create(): JwtAuthModuleOptions {
        return { issuers: [issuer.issuerOptions()], allowHttp: true };
      }
    }
    @Module({ providers: [JwtOptionsFactory], exports: [JwtOptionsFactory] })
    class OptionsModule {}

    for (const jwtModule of [
      JwtAuthModule.forRootAsync({ useClass: JwtOptionsFactory }),
      JwtAuthModule.forRootAsync({ imports: [OptionsModule], useExisting: JwtOptionsFactory }),
    ]) {
      const { app, url } = await startApp(platform, appWith(jwtModule));
      try {
        expect((await send(url, 'GET', '/me', bearer(await issuer.sign()))).status).toBe(200);
      } finally {
        await app.close();
      }
    }
  });

  it('leaves scope checking to the app with checkers: false (boot names the missing capability)', async () => {
    const error = await bootError(
      platform,
      appWith(
        JwtAuthModule.forRoot({
          issuers: [issuer.issuerOptions()],
          allowHttp: true,
          checkers: false,
        }),
        [ScopedController],
      ),
    );
    expect(error).toBeInstanceOf(CapabilityValidationError);
    expect((error as Error).message).toContain('ScopeCheck');
  });

  it.each([
    ['an empty issuer list', { issuers: [] }, 'issuers'],
    [
      'an http issuer without allowHttp',
      { issuers: [{ issuer: 'http://idp.test', audience: 'a' }] },
      'issuers[0].issuer',
    ],
    [
      'an http jwksUri without allowHttp',
      { issuers: [{ issuer: 'https://idp.test', audience: 'a', jwksUri: 'http://idp.test/k' }] },
      'issuers[0].jwksUri',
    ],
    [
      'a symmetric algorithm',
      { issuers: [{ issuer: 'https://idp.test', audience: 'a', algorithms: ['HS256'] }] },
      'issuers[0].algorithms',
    ],
    [
      'alg none',
      { issuers: [{ issuer: 'https://idp.test', audience: 'a', algorithms: ['none'] }] },
      'issuers[0].algorithms',
    ],
    [
      'no audience',
      { issuers: [{ issuer: 'https://idp.test', audience: [] }] },
      'issuers[0].audience',
    ],
    [
      'jwks and jwksUri together',
      {
        issuers: [
          {
            issuer: 'https://idp.test',
            audience: 'a',
            jwks: { keys: [] },
            jwksUri: 'https://idp.test/k',
          },
        ],
      },
      'issuers[0]',
    ],
    [
      'an unknown claim profile',
      { issuers: [{ issuer: 'https://idp.test', audience: 'a', claims: 'google' }] },
      'issuers[0].claims',
    ],
    [
      'a claim path into a prototype',
      {
        issuers: [
          { issuer: 'https://idp.test', audience: 'a', claims: { roles: ['__proto__.roles'] } },
        ],
      },
      'issuers[0].claims.roles[0]',
    ],
    [
      'a duplicate issuer',
      {
        issuers: [
          { issuer: 'https://idp.test', audience: 'a' },
          { issuer: 'https://idp.test', audience: 'b' },
        ],
      },
      'issuers',
    ],
    [
      'a negative clock tolerance',
      { issuers: [{ issuer: 'https://idp.test', audience: 'a' }], clockToleranceS: -1 },
      'clockToleranceS',
    ],
    [
      'an unknown option',
      { issuers: [{ issuer: 'https://idp.test', audience: 'a' }], audience: 'x' },
      'audience',
    ],
  ])('refuses %s at forRoot() with a TypeError naming the option', (_label, options, option) => {
    expect(() => JwtAuthModule.forRoot(options as JwtAuthModuleOptions)).toThrow(TypeError);
    expect(() => JwtAuthModule.forRoot(options as JwtAuthModuleOptions)).toThrow(option);
  });
});
