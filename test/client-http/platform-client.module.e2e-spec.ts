import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  getPlatformClientToken,
  InjectPlatformClient,
  PlatformClient,
  PlatformClientModule,
  type PlatformClientOptions,
} from '@nest-platform/client';
import { type Answer, FakeApi } from './fixtures/fake-api.js';
import { FakeTokenSource } from './fixtures/fake-token-source.js';

const echoAuth: Answer = (req) => ({
  status: 200,
  body: JSON.stringify({ authorization: req.authorization ?? null }),
});

describe('PlatformClientModule', () => {
  let api: FakeApi;
  let options: PlatformClientOptions;

  beforeAll(async () => {
    api = await FakeApi.start();
    api.script('GET /whoami', echoAuth);
    options = { baseUrl: api.url, allowHttp: true, token: () => 'static-token' };
  });
  afterAll(() => api.close());

  async function whoami(client: PlatformClient): Promise<unknown> {
    return (await client.getJson<{ authorization: string }>('/whoami')).authorization;
  }

  async function compile(imports: unknown[], providers: unknown[] = []) {
    const moduleRef = await Test.createTestingModule({
      imports: imports as never[],
      providers: providers as never[],
    }).compile();
    await moduleRef.init();
    return moduleRef;
  }

  describe('forRoot', () => {
    it('registers the default client, injectable as PlatformClient and @InjectPlatformClient()', async () => {
      @Injectable()
      class Consumer {
        constructor(
          readonly byType: PlatformClient,
          @InjectPlatformClient() readonly byDecorator: PlatformClient,
        ) {}
      }
      const moduleRef = await compile([PlatformClientModule.forRoot(options)], [Consumer]);
      const consumer = moduleRef.get(Consumer);
      expect(consumer.byType).toBeInstanceOf(PlatformClient);
      expect(consumer.byDecorator).toBe(consumer.byType);
      await expect(whoami(consumer.byType)).resolves.toBe('Bearer static-token');
      await moduleRef.close();
    });

    it('accepts an AccessTokenSource instance as token', async () => {
      const tokens = new FakeTokenSource('shared');
      const moduleRef = await compile([
        PlatformClientModule.forRoot({ ...options, token: tokens }),
      ]);
      await expect(whoami(moduleRef.get(PlatformClient))).resolves.toBe('Bearer shared-1');
      await moduleRef.close();
    });

    it('registers named clients side by side, each with its own token', async () => {
      @Injectable()
      class Consumer {
        constructor(
          @InjectPlatformClient('billing') readonly billing: PlatformClient,
          @InjectPlatformClient('search') readonly search: PlatformClient,
          readonly main: PlatformClient,
        ) {}
      }
      const moduleRef = await compile(
        [
          PlatformClientModule.forRoot(options),
          PlatformClientModule.forRoot({
            ...options,
            name: 'billing',
            token: () => 'billing-token',
          }),
          PlatformClientModule.forRoot({ ...options, name: 'search', token: () => 'search-token' }),
        ],
        [Consumer],
      );
      const consumer = moduleRef.get(Consumer);
      await expect(whoami(consumer.billing)).resolves.toBe('Bearer billing-token');
      await expect(whoami(consumer.search)).resolves.toBe('Bearer search-token');
      await expect(whoami(consumer.main)).resolves.toBe('Bearer static-token');
      expect(moduleRef.get(getPlatformClientToken('billing'))).toBe(consumer.billing);
      await moduleRef.close();
    });

    it('closes the client on application shutdown', async () => {
      const moduleRef = await compile([PlatformClientModule.forRoot(options)]);
      const client = moduleRef.get(PlatformClient);
      await moduleRef.close();
      await expect(client.get('/whoami')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    });
  });

  describe('forRootAsync', () => {
    @Injectable()
    class OptionsSource {
      createPlatformClientOptions(): PlatformClientOptions {
        return { ...options, token: () => 'from-class' };
      }
    }
    @Module({ providers: [OptionsSource], exports: [OptionsSource] })
    class OptionsModule {}

    it('useFactory with inject', async () => {
      const moduleRef = await compile([
        PlatformClientModule.forRootAsync({
          imports: [OptionsModule],
          inject: [OptionsSource],
          useFactory: (source: OptionsSource) => ({
            ...source.createPlatformClientOptions(),
            token: () => 'from-factory',
          }),
        }),
      ]);
      await expect(whoami(moduleRef.get(PlatformClient))).resolves.toBe('Bearer from-factory');
      await moduleRef.close();
    });

    it('useClass', async () => {
      const moduleRef = await compile([
        PlatformClientModule.forRootAsync({ useClass: OptionsSource }),
      ]);
      await expect(whoami(moduleRef.get(PlatformClient))).resolves.toBe('Bearer from-class');
      await moduleRef.close();
    });

    it('useExisting', async () => {
      const moduleRef = await compile([
        PlatformClientModule.forRootAsync({ imports: [OptionsModule], useExisting: OptionsSource }),
      ]);
      await expect(whoami(moduleRef.get(PlatformClient))).resolves.toBe('Bearer from-class');
      await moduleRef.close();
    });

    it('named, with useFactory', async () => {
      const moduleRef = await compile([
        PlatformClientModule.forRootAsync({
          name: 'async-named',
          useFactory: () => ({ ...options, token: () => 'named-async' }),
        }),
      ]);
      const client = moduleRef.get<PlatformClient>(getPlatformClientToken('async-named'));
      await expect(whoami(client)).resolves.toBe('Bearer named-async');
      await moduleRef.close();
    });
  });

  describe('invalid options', () => {
    it.each([
      [{ baseUrl: 'not a url' }, /"baseUrl"/],
      [{ baseUrl: 'http://api.test' }, /"baseUrl" is http:\/\//],
      [{ baseUrl: 'https://api.test', retries: -1 }, /"retries"/],
      [{ baseUrl: 'https://api.test', timeoutMs: 0 }, /"timeoutMs"/],
      [{ baseUrl: 'https://api.test', token: 'a-token-string' }, /"token"/],
      [{ baseUrl: 'https://api.test', proxy: { httpsProxy: 'nope' } }, /"proxy.httpsProxy"/],
      [{ baseUrl: 'https://api.test', ca: 'not pem' }, /"ca"/],
      [{ baseUrl: 'https://api.test', colour: 'blue' }, /unknown option "colour"/],
      [
        { baseUrl: 'https://api.test', token: { provider: { grant: 'client_credentials' } } },
        /client\.token\.provider/,
      ],
    ])('forRoot(%j) throws a TypeError naming the option', (bad, message) => {
      expect(() => PlatformClientModule.forRoot(bad as unknown as PlatformClientOptions)).toThrow(
        TypeError,
      );
      expect(() => PlatformClientModule.forRoot(bad as unknown as PlatformClientOptions)).toThrow(
        message,
      );
    });

    it('rejects an invalid client name', () => {
      expect(() => PlatformClientModule.forRoot({ ...options, name: 'has space' })).toThrow(
        /"name"/,
      );
    });

    it('forRootAsync fails at init with a TypeError naming the option', async () => {
      await expect(
        compile([
          PlatformClientModule.forRootAsync({
            useFactory: () => ({ baseUrl: 'https://api.test', backoffBaseMs: -3 }),
          }),
        ]),
      ).rejects.toThrow(/"backoffBaseMs"/);
    });
  });
});
