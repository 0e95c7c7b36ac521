import { describe, expect, it } from '@jest/globals';
import type { INestApplication, Type } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import {
  AuthTransportError,
  PlatformAuthError,
  UnguardedFieldResolversError,
} from '@nest-platform/auth';
import { TestIssuer } from '@nest-platform/auth/testing';
import { type Driver, graphqlScenario } from './graphql-scenario.js';

const DRIVERS = [
  { driver: 'apollo' as Driver, adapter: () => new ExpressAdapter() },
  { driver: 'mercurius' as Driver, adapter: () => new FastifyAdapter() },
];

async function bootError(
  module: Type,
  adapter: () => ExpressAdapter | FastifyAdapter,
): Promise<unknown> {
  let app: INestApplication | undefined;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
    app = moduleRef.createNestApplication(adapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    // Booted: show that the unguarded field would have leaked (the reason boot must fail).
    const { port } = app.getHttpServer().address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ catalogue { secret } }' }),
    });
    return new Error(`booted; an anonymous caller got ${await response.text()}`);
  } catch (error) {
    return error;
  } finally {
    await app?.close().catch(() => undefined);
  }
}

describe.each(DRIVERS)('GraphQL boot validation ($driver)', ({ driver, adapter }) => {
  it("refuses to boot when field resolvers would run without guards (no fieldResolverEnhancers: ['guards'])", async () => {
    const issuer = await TestIssuer.create();
    const error = await bootError(
      graphqlScenario(driver, { issuers: [issuer.issuerOptions()] }, { wired: false }),
      adapter,
    );
    expect(String(error)).not.toContain('SECRET-VALUE');
    expect(error).toBeInstanceOf(UnguardedFieldResolversError);
    expect(error).toBeInstanceOf(PlatformAuthError);
    const refusal = error as UnguardedFieldResolversError;
    expect(refusal.code).toBe('FIELD_RESOLVERS_UNGUARDED');
    expect(refusal.fields).toEqual(['Book.secret (BooksResolver#secret)']);
    expect(refusal.message).toContain("fieldResolverEnhancers: ['guards']");
  });

  it('refuses to boot when resolvers exist but PlatformAuthGraphqlModule is not imported', async () => {
    const issuer = await TestIssuer.create();
    const error = await bootError(
      graphqlScenario(
        driver,
        { issuers: [issuer.issuerOptions()] },
        { transport: false, wired: false },
      ),
      adapter,
    );
    expect(error).toBeInstanceOf(AuthTransportError);
    expect((error as AuthTransportError).code).toBe('TRANSPORT_MISSING');
    expect((error as Error).message).toContain(
      "import PlatformAuthGraphqlModule from '@nest-platform/auth/graphql'",
    );
  });
});
