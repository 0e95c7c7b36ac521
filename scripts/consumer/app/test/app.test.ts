import 'reflect-metadata';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Test } from '@nestjs/testing';
import { TestIssuer, useTestIssuer } from '@nest-platform/auth/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module.js';

test('the real AppModule protects /documents, and trusts a TestIssuer in tests', async () => {
  process.env.ISSUER = 'https://idp.example.invalid';
  process.env.AUDIENCE = 'urn:consumer:api';
  process.env.PORT = '1';
  const issuer = await TestIssuer.create({ audience: 'urn:consumer:api' });
  const moduleRef = await useTestIssuer(Test.createTestingModule({ imports: [AppModule] }), {
    issuer,
  }).compile();
  const app = await moduleRef.createNestApplication({ logger: false }).init();
  try {
    await request(app.getHttpServer()).get('/documents').expect(401);
    const token = await issuer.token({ subject: 'alice', scopes: ['documents:read'] });
    const response = await request(app.getHttpServer())
      .get('/documents')
      .auth(token, { type: 'bearer' })
      .expect(200);
    assert.deepEqual(response.body, [{ id: '1', owner: 'alice' }]);
    const writer = await issuer.token({ scopes: ['documents:write'] });
    await request(app.getHttpServer())
      .get('/documents')
      .auth(writer, { type: 'bearer' })
      .expect(403);
  } finally {
    await app.close();
  }
});
