import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type AuthContext, CurrentAuth, RequireScope } from '@nest-platform/auth';
import { PlatformAuthTestingModule, TestIssuer } from '@nest-platform/auth/testing';
import request from 'supertest';
import { PLATFORMS } from '../fixtures/platforms.js';

@Controller('documents')
class DocumentsController {
  @Get()
  @RequireScope('documents:read')
  list(@CurrentAuth() auth: AuthContext) {
    return { owner: auth.subject };
  }
}

// The README's testing-kit example, as a user would write it: no network beyond the app. On
// Fastify the only difference is the adapter, and waiting for Fastify to be ready.
describe.each(PLATFORMS)('testing kit: a protected route in a few lines ($name)', (platform) => {
  let issuer: TestIssuer;
  let app: INestApplication;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformAuthTestingModule.forRoot({ issuer })],
      controllers: [DocumentsController],
    }).compile();
    app = await moduleRef.createNestApplication(platform.adapter(), { logger: false }).init();
    if (platform.name === 'fastify') {
      await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
    }
  });

  afterAll(() => app.close());

  it('lets a token with the scope in', async () => {
    const token = await issuer.token({ subject: 'alice', scopes: ['documents:read'] });
    await request(app.getHttpServer())
      .get('/documents')
      .auth(token, { type: 'bearer' })
      .expect(200, { owner: 'alice' });
  });

  it('answers 403 without the scope and 401 without a token', async () => {
    const token = await issuer.token({ scopes: ['documents:write'] });
    await request(app.getHttpServer())
      .get('/documents')
      .auth(token, { type: 'bearer' })
      .expect(403);
    await request(app.getHttpServer()).get('/documents').expect(401);
  });

  it('refuses tokens of another test issuer with the same issuer URL', async () => {
    const stranger = await TestIssuer.create();
    const token = await stranger.token({ scopes: ['documents:read'] });
    await request(app.getHttpServer())
      .get('/documents')
      .auth(token, { type: 'bearer' })
      .expect(401);
  });
});
