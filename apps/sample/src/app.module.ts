import { Module } from '@nestjs/common';
import { ContextRoleChecker, ContextScopeChecker, PlatformAuthModule } from '@platform/auth';
import { AppController } from './app.controller.js';
import { createDemoPrincipals } from './demo-auth/demo-principals.js';
import { DEMO_PRINCIPALS, DemoTokenAuthentication } from './demo-auth/demo-token.authentication.js';
import { DocumentsController } from './documents/documents.controller.js';
import { DocumentsService } from './documents/documents.service.js';

@Module({
  imports: [PlatformAuthModule.forRoot({ realm: 'platform-sample', logRouteTable: true })],
  controllers: [AppController, DocumentsController],
  providers: [
    { provide: DEMO_PRINCIPALS, useFactory: createDemoPrincipals },
    DemoTokenAuthentication,
    ContextScopeChecker,
    ContextRoleChecker,
    DocumentsService,
  ],
})
export class AppModule {}
