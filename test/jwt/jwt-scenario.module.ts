import { Controller, Delete, Get, Module, Param, type Type } from '@nestjs/common';
import {
  type AuthContext,
  CurrentAuth,
  fromParam,
  PlatformAuthModule,
  Public,
  Protected,
  RequireRole,
  RequireScope,
  RequireTenant,
} from '@nest-platform/auth';
import { JwtAuthHealthIndicator } from '@nest-platform/auth/health';
import { JwtAuthModule, type JwtAuthModuleOptions } from '@nest-platform/auth/jwt';

/** Routes covering every requirement the JWT provider feeds: each returns the caller's context. */
@Controller()
export class JwtScenarioController {
  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('me')
  @Protected()
  me(@CurrentAuth() auth: AuthContext) {
    return auth;
  }

  /** The type of the caller's claim `name`: shows what a lookup by an arbitrary name finds. */
  @Get('claims/:name')
  @Protected()
  claimType(@CurrentAuth() auth: AuthContext, @Param('name') name: string) {
    return { type: typeof auth.claims[name] };
  }

  @Get('documents')
  @RequireScope('documents:read')
  list(@CurrentAuth() auth: AuthContext) {
    return auth;
  }

  @Delete('documents/:id')
  @RequireRole('admin')
  remove(@Param('id') id: string) {
    return { deleted: id };
  }

  @Get('tenants/:tenantId/documents')
  @RequireScope('documents:read')
  @RequireTenant(fromParam('tenantId'))
  tenantDocuments(@Param('tenantId') tenantId: string) {
    return { tenantId };
  }
}

/**
 * An app protected by `JwtAuthModule` with these options; `JwtAuthHealthIndicator`
 * (`@nest-platform/auth/health`) is registered as an app would beside its health controller.
 */
export function jwtScenario(options: JwtAuthModuleOptions): Type {
  @Module({
    imports: [PlatformAuthModule.forRoot(), JwtAuthModule.forRoot(options)],
    controllers: [JwtScenarioController],
    providers: [JwtAuthHealthIndicator],
  })
  class JwtScenarioModule {}
  return JwtScenarioModule;
}
