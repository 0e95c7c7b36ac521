import { Controller, Delete, Get, Module, Param, type Type } from '@nestjs/common';
import {
  type AuthContext,
  CurrentAuth,
  JwtAuthModule,
  type JwtAuthModuleOptions,
  param,
  PlatformAuthModule,
  Public,
  Protected,
  RequireRole,
  RequireScope,
  RequireTenant,
} from '@platform/auth';

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
  @RequireTenant(param('tenantId'))
  tenantDocuments(@Param('tenantId') tenantId: string) {
    return { tenantId };
  }
}

/** An app protected by `JwtAuthModule` with these options. */
export function jwtScenario(options: JwtAuthModuleOptions): Type {
  @Module({
    imports: [PlatformAuthModule.forRoot(), JwtAuthModule.forRoot(options)],
    controllers: [JwtScenarioController],
  })
  class JwtScenarioModule {}
  return JwtScenarioModule;
}
