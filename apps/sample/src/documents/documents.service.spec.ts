import { ForbiddenException } from '@nestjs/common';
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

describe('DocumentsService.create', () => {
  it("stores the document in the caller's tenant, authored by the caller", async () => {
    const { documents, auth } = await service();
    auth.caller = caller('globex');
    const created = documents.create('Plans');
    expect(created).toMatchObject({ tenant: 'globex', title: 'Plans', createdBy: 'someone' });
    expect(documents.list('globex')).toContainEqual(created);
  });

  describe('a caller without a tenant', () => {
    it.each([undefined, ''])('is refused with 403 and a reason (tenant %j)', async (tenant) => {
      const { documents, auth } = await service();
      auth.caller = caller(tenant);
      const before = documents.list().length;
      expect(() => documents.create('Orphan')).toThrow(ForbiddenException);
      expect(() => documents.create('Orphan')).toThrow(TENANTLESS_CALLER_MESSAGE);
      expect(documents.list()).toHaveLength(before);
      expect(documents.list().some((d) => d.tenant === 'default')).toBe(false);
    });
  });
});
