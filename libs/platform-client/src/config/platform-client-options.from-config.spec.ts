import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { validatePlatformClientOptions } from '../platform-client.module.js';
import { InvalidClientConfigurationError } from './invalid-client-configuration.error.js';
import { platformClientOptionsFromConfig } from './platform-client-options.from-config.js';

const SECRET = 'cfg-secret-VALUE-4711';
const BASE = { PLATFORM_CLIENT_BASE_URL: 'https://api.example.test/v1' };

async function configWith(vars: Record<string, string>): Promise<ConfigService> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ ignoreEnvFile: true, skipProcessEnv: true, load: [() => vars] }),
    ],
  }).compile();
  return moduleRef.get(ConfigService);
}

async function errorFor(vars: Record<string, string>): Promise<Error> {
  const config = await configWith(vars);
  try {
    platformClientOptionsFromConfig(config);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the mapping to fail');
}

describe('platformClientOptionsFromConfig', () => {
  let dir: string;
  let caFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'platform-client-config-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    writeFileSync(join(dir, 'not-a-cert.txt'), 'hello');
  });
  afterAll(() => undefined);

  it('maps the minimum (base URL only) onto an unauthenticated client with defaults', async () => {
    const options = platformClientOptionsFromConfig(await configWith(BASE));
    expect(options).toEqual({ baseUrl: BASE.PLATFORM_CLIENT_BASE_URL });
    expect(() => validatePlatformClientOptions(options)).not.toThrow();
  });

  it('maps every variable', async () => {
    const options = platformClientOptionsFromConfig(
      await configWith({
        PLATFORM_CLIENT_BASE_URL: 'http://127.0.0.1:3000',
        PLATFORM_CLIENT_ISSUER: 'http://127.0.0.1:4000',
        PLATFORM_CLIENT_ID: 'svc-orders',
        PLATFORM_CLIENT_SECRET: SECRET,
        PLATFORM_CLIENT_SCOPE: 'orders:read orders:write',
        PLATFORM_CLIENT_AUDIENCE: 'https://orders.example.test',
        PLATFORM_CLIENT_CACHE: 'file',
        PLATFORM_CLIENT_CACHE_DIR: dir,
        PLATFORM_CLIENT_TIMEOUT_S: '12.5',
        PLATFORM_CLIENT_RETRIES: '4',
        PLATFORM_CLIENT_BACKOFF_S: '0.5',
        PLATFORM_CLIENT_ALLOW_HTTP: 'true',
        PLATFORM_CLIENT_CA_FILE: caFile,
        HTTPS_PROXY: 'http://proxy.internal:3128',
        NO_PROXY: 'localhost,.internal',
      }),
    );
    expect(options).toMatchObject({
      baseUrl: 'http://127.0.0.1:3000',
      allowHttp: true,
      timeoutMs: 12_500,
      retries: 4,
      backoffBaseMs: 500,
      proxy: { httpsProxy: 'http://proxy.internal:3128', noProxy: 'localhost,.internal' },
      ca: expect.stringContaining('BEGIN CERTIFICATE'),
      token: {
        provider: {
          grant: 'client_credentials',
          issuer: 'http://127.0.0.1:4000',
          clientId: 'svc-orders',
          clientSecret: SECRET,
          scope: ['orders:read', 'orders:write'],
          audience: 'https://orders.example.test',
          allowHttp: true,
        },
        cache: { kind: 'file', directory: dir },
      },
    });
    expect(() => validatePlatformClientOptions(options)).not.toThrow();
  });

  it('maps PLATFORM_CLIENT_CACHE=redis onto Redis cache options, password and key masked', async () => {
    const key = Buffer.alloc(32, 3).toString('base64');
    const options = platformClientOptionsFromConfig(
      await configWith({
        ...BASE,
        PLATFORM_CLIENT_ISSUER: 'https://idp.example.test',
        PLATFORM_CLIENT_ID: 'svc',
        PLATFORM_CLIENT_CACHE: 'redis',
        PLATFORM_CLIENT_REDIS_URL: `rediss://app:${SECRET}@cache.internal:6380/2`,
        PLATFORM_CLIENT_REDIS_ENCRYPTION_KEY: key,
      }),
    );
    expect(options.token).toMatchObject({
      cache: {
        kind: 'redis',
        url: `rediss://app:${SECRET}@cache.internal:6380/2`,
        encryptionKey: key,
      },
    });
    expect(() => validatePlatformClientOptions(options)).not.toThrow();
    for (const shown of [JSON.stringify(options), inspect(options, { depth: 10 })]) {
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(key);
    }
  });

  it.each([
    'redis://cache.internal',
    'redis+socket:///run/redis/redis.sock',
    'redis+cluster://10.0.0.1:7000,10.0.0.2:7000',
    'redis+sentinel://s1:26379,s2:26379/tokens',
  ])('accepts PLATFORM_CLIENT_REDIS_URL=%s', async (url) => {
    const options = platformClientOptionsFromConfig(
      await configWith({
        ...BASE,
        PLATFORM_CLIENT_ISSUER: 'https://idp.example.test',
        PLATFORM_CLIENT_ID: 'svc',
        PLATFORM_CLIENT_CACHE: 'redis',
        PLATFORM_CLIENT_REDIS_URL: url,
      }),
    );
    expect(options.token).toMatchObject({ cache: { kind: 'redis', url } });
  });

  it('serialises the result with the client secret masked (JSON and inspect)', async () => {
    const options = platformClientOptionsFromConfig(
      await configWith({
        ...BASE,
        PLATFORM_CLIENT_ISSUER: 'https://idp.example.test',
        PLATFORM_CLIENT_ID: 'svc',
        PLATFORM_CLIENT_SECRET: SECRET,
        HTTPS_PROXY: `http://user:${SECRET}@proxy.internal:3128`,
      }),
    );
    expect(JSON.stringify(options)).not.toContain(SECRET);
    expect(inspect(options, { depth: 10 })).not.toContain(SECRET);
    expect(JSON.stringify(options)).toContain('svc');
  });

  describe('rejects bad values, naming the variable and never echoing the value', () => {
    it.each([
      [{}, 'PLATFORM_CLIENT_BASE_URL'],
      [{ PLATFORM_CLIENT_BASE_URL: 'not-a-url' }, 'PLATFORM_CLIENT_BASE_URL'],
      [{ ...BASE, PLATFORM_CLIENT_ISSUER: 'ftp://idp' }, 'PLATFORM_CLIENT_ISSUER'],
      [{ ...BASE, PLATFORM_CLIENT_TIMEOUT_S: 'soon' }, 'PLATFORM_CLIENT_TIMEOUT_S'],
      [{ ...BASE, PLATFORM_CLIENT_TIMEOUT_S: '-1' }, 'PLATFORM_CLIENT_TIMEOUT_S'],
      [{ ...BASE, PLATFORM_CLIENT_RETRIES: '2.5' }, 'PLATFORM_CLIENT_RETRIES'],
      [{ ...BASE, PLATFORM_CLIENT_RETRIES: '11' }, 'PLATFORM_CLIENT_RETRIES'],
      [{ ...BASE, PLATFORM_CLIENT_BACKOFF_S: '0' }, 'PLATFORM_CLIENT_BACKOFF_S'],
      [{ ...BASE, PLATFORM_CLIENT_ALLOW_HTTP: 'yes' }, 'PLATFORM_CLIENT_ALLOW_HTTP'],
      [{ ...BASE, PLATFORM_CLIENT_CACHE: 'disk' }, 'PLATFORM_CLIENT_CACHE'],
      [
        { ...BASE, PLATFORM_CLIENT_CACHE: 'redis' },
        'PLATFORM_CLIENT_REDIS_URL is required with PLATFORM_CLIENT_CACHE=redis',
      ],
      [
        { ...BASE, PLATFORM_CLIENT_REDIS_URL: `redis://:${SECRET}@r` },
        'PLATFORM_CLIENT_REDIS_URL is only used with PLATFORM_CLIENT_CACHE=redis',
      ],
      [
        {
          ...BASE,
          PLATFORM_CLIENT_CACHE: 'redis',
          PLATFORM_CLIENT_REDIS_URL: `http://:${SECRET}@r`,
        },
        'PLATFORM_CLIENT_REDIS_URL has an unsupported scheme (accepted: redis://',
      ],
      [
        {
          ...BASE,
          PLATFORM_CLIENT_CACHE: 'redis',
          PLATFORM_CLIENT_REDIS_URL: `redis://:${SECRET}@a,b`,
        },
        'PLATFORM_CLIENT_REDIS_URL names more than one host; use redis+cluster:// or redis+sentinel://',
      ],
      [
        {
          ...BASE,
          PLATFORM_CLIENT_CACHE: 'redis',
          PLATFORM_CLIENT_REDIS_URL: 'redis://r',
          PLATFORM_CLIENT_REDIS_ENCRYPTION_KEY: Buffer.from(SECRET).toString('base64'),
        },
        'PLATFORM_CLIENT_REDIS_ENCRYPTION_KEY must be 32 bytes in base64',
      ],
      [
        { ...BASE, PLATFORM_CLIENT_REDIS_ENCRYPTION_KEY: `${SECRET}!` },
        'PLATFORM_CLIENT_REDIS_ENCRYPTION_KEY must be 32 bytes in base64',
      ],
      [{ ...BASE, PLATFORM_CLIENT_CACHE: 'file' }, 'PLATFORM_CLIENT_CACHE_DIR is required'],
      [{ ...BASE, PLATFORM_CLIENT_ISSUER: 'https://idp.test' }, 'PLATFORM_CLIENT_ID is required'],
      [{ ...BASE, PLATFORM_CLIENT_SECRET: SECRET }, 'PLATFORM_CLIENT_SECRET needs'],
      [{ ...BASE, HTTPS_PROXY: `proxy:${SECRET}` }, 'HTTPS_PROXY'],
      [{ ...BASE, PLATFORM_CLIENT_CA_FILE: '/nonexistent/ca.pem' }, 'PLATFORM_CLIENT_CA_FILE'],
    ])('%j → %s', async (vars, expected) => {
      const error = await errorFor(vars as Record<string, string>);
      expect(error).toBeInstanceOf(TypeError);
      expect(error).toBeInstanceOf(InvalidClientConfigurationError);
      expect(error.message).toContain(expected);
      expect(error.message).not.toContain(SECRET);
      expect(inspect(error)).not.toContain(SECRET);
    });

    it('lists every problem in `problems`, for an app to report with its own', async () => {
      const error = await errorFor({
        ...BASE,
        PLATFORM_CLIENT_RETRIES: 'many',
        PLATFORM_CLIENT_CACHE: 'file',
      });
      expect((error as InvalidClientConfigurationError).problems).toEqual([
        expect.stringMatching(/^PLATFORM_CLIENT_RETRIES /),
        'PLATFORM_CLIENT_CACHE_DIR is required with PLATFORM_CLIENT_CACHE=file',
      ]);
    });

    it('rejects a CA file that is not PEM', async () => {
      const error = await errorFor({
        ...BASE,
        PLATFORM_CLIENT_CA_FILE: join(dir, 'not-a-cert.txt'),
      });
      expect(error.message).toContain('PLATFORM_CLIENT_CA_FILE is not a PEM');
    });

    it('lists every bad variable at once', async () => {
      const error = await errorFor({
        PLATFORM_CLIENT_BASE_URL: 'x',
        PLATFORM_CLIENT_RETRIES: 'many',
      });
      expect(error.message).toContain('PLATFORM_CLIENT_BASE_URL');
      expect(error.message).toContain('PLATFORM_CLIENT_RETRIES');
    });

    it('a plain-http base URL without PLATFORM_CLIENT_ALLOW_HTTP fails module validation', async () => {
      const options = platformClientOptionsFromConfig(
        await configWith({ PLATFORM_CLIENT_BASE_URL: 'http://127.0.0.1:3000' }),
      );
      expect(() => validatePlatformClientOptions(options)).toThrow(/"baseUrl" is http:\/\//);
    });
  });

  it('never reads process.env itself', async () => {
    process.env.PLATFORM_CLIENT_RETRIES = 'not-a-number';
    process.env.HTTPS_PROXY = 'http://from-process-env:1';
    try {
      const options = platformClientOptionsFromConfig(await configWith(BASE));
      expect(options).toEqual({ baseUrl: BASE.PLATFORM_CLIENT_BASE_URL });
    } finally {
      delete process.env.PLATFORM_CLIENT_RETRIES;
      delete process.env.HTTPS_PROXY;
    }
  });
});
