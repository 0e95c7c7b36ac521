import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from '@jest/globals';
import { AuthContextAccessor, type AuthContext } from '@nest-platform/auth';
import { DocumentsService, TENANTLESS_CALLER_MESSAGE } from './documents.service.js';

/** The caller of the current "request", set by the test. */
class FakeAuthContextAccessor extends AuthContextAccessor {
  caller?: AuthContext;
  override get(): AuthContext | undefined {
    return this.caller;
  }
  override require(): AuthContext {
    if (!this.caller) throw new Error('no caller');
    return this.caller;
  }
}

const caller = (tenant?: string): AuthContext => ({
  subject: 'someone',
  issuer: 'https://id.example.test',
  principalType: 'user',
  ...(tenant !== undefined ? { tenant } : {}),
  scopes: ['documents:write'],
  roles: [],
  claims: {},
  delegation: [],
});

async function service() {
  const auth = new FakeAuthContextAccessor();
  const moduleRef = await Test.createTestingModule({
    providers: [DocumentsService, { provide: AuthContextAccessor, useValue: auth }],
  }).compile();
  return { documents: moduleRef.get(DocumentsService), auth };
}

describe('DocumentsService: each tenant sees only its own documents', () => {
  it("lists only the caller's tenant's documents", async () => {
    const { documents, auth } = await service();
    auth.caller = caller('acme');
    expect(documents.list()).toEqual([
      { id: '1', tenant: 'acme', title: 'Acme onboarding', createdBy: 'alice' },
    ]);
    auth.caller = caller('globex');
    expect(documents.list()).toEqual([
      { id: '2', tenant: 'globex', title: 'Globex roadmap', createdBy: 'bob' },
    ]);
    auth.caller = caller('initech');
    expect(documents.list()).toEqual([]);
  });

  it("stores a new document in the caller's tenant, authored by the caller", async () => {
    const { documents, auth } = await service();
    auth.caller = caller('globex');
    const created = documents.create('Plans');
    expect(created).toMatchObject({ tenant: 'globex', title: 'Plans', createdBy: 'someone' });
    expect(documents.list()).toContainEqual(created);
    auth.caller = caller('acme');
    expect(documents.list()).not.toContainEqual(created);
  });

  it("deletes a document of the caller's tenant", async () => {
    const { documents, auth } = await service();
    auth.caller = caller('acme');
    documents.remove('1');
    expect(documents.list()).toEqual([]);
  });

  it("answers another tenant's document as missing (404) and keeps it", async () => {
    const { documents, auth } = await service();
    auth.caller = caller('acme');
    expect(() => documents.remove('2')).toThrow(NotFoundException);
    expect(() => documents.remove('2')).toThrow('No document 2');
    expect(() => documents.remove('99')).toThrow('No document 99');
    auth.caller = caller('globex');
    expect(documents.list().map((document) => document.id)).toEqual(['2']);
  });

  describe('a caller without a tenant', () => {
    it.each([undefined, ''])(
      'is refused with 403 and a reason on every operation (tenant %j)',
      async (tenant) => {
        const { documents, auth } = await service();
        auth.caller = caller(tenant);
        for (const operation of [
          () => documents.list(),
          () => documents.create('Orphan'),
          () => documents.remove('1'),
        ]) {
          expect(operation).toThrow(ForbiddenException);
          expect(operation).toThrow(TENANTLESS_CALLER_MESSAGE);
        }
        auth.caller = caller('acme');
        expect(documents.list().map((document) => document.id)).toEqual(['1']);
      },
    );
  });
});
