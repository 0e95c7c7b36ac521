import { describe, expect, it } from '@jest/globals';
import type { INestApplication, Type } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import { Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  AuthCapability,
  AuthTransportError,
  CapabilityValidationError,
  PlatformAuthError,
  PlatformAuthModule,
  Public,
  RequirePermission,
  UnguardedFieldResolversError,
} from '@nest-platform/auth';
import { PlatformAuthGraphqlModule } from '@nest-platform/auth/graphql';
import { JwtAuthModule } from '@nest-platform/auth/jwt';
import { TestIssuer } from '@nest-platform/auth/testing';
import { type Driver, graphqlModule, graphqlScenario } from './graphql-scenario.js';

@Resolver()
class ShelvesResolver {
  @Public()
  @Query(() => String)
  shelf(): string {
    return 'shelf';
  }

  @RequirePermission('shelves:delete')
  @Mutation(() => Boolean)
  removeShelf(): boolean {
    return true;
  }
}

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

  it('counts resolvers in capability validation (a permission nobody checks fails boot)', async () => {
    const issuer = await TestIssuer.create();
    @Module({
      imports: [
        PlatformAuthModule.forRoot(),
        PlatformAuthGraphqlModule,
        JwtAuthModule.forRoot({ issuers: [issuer.issuerOptions()] }),
        graphqlModule(driver),
      ],
      providers: [ShelvesResolver],
    })
    class ShelvesModule {}
    const error = await bootError(ShelvesModule, adapter);
    expect(error).toBeInstanceOf(CapabilityValidationError);
    expect((error as CapabilityValidationError).problems).toEqual([
      expect.objectContaining({
        capability: AuthCapability.PermissionCheck,
        neededBy: ['ShelvesResolver#removeShelf'],
        providers: [],
      }),
    ]);
  });
});
