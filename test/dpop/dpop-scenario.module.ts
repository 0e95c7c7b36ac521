import { Controller, Get, Module, Post, type Type } from '@nestjs/common';
import {
  type AuthContext,
  CurrentAuth,
  PlatformAuthModule,
  type PlatformAuthModuleOptions,
  Public,
  RequireAnyScope,
  RequireAuthentication,
  RequireDpop,
  RequireScope,
} from '@nest-platform/auth';
import { JwtAuthModule, type JwtAuthModuleOptions } from '@nest-platform/auth/jwt';

/** Routes for DPoP (either scheme, DPoP only), step-up and metadata. */
@Controller()
export class DpopScenarioController {
  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }

  /** Bearer or DPoP. */
  @Get('documents')
  @RequireScope('documents:read')
  list(@CurrentAuth() auth: AuthContext) {
    return { subject: auth.subject };
  }

  @Get('documents/dpop')
  @RequireDpop()
  @RequireScope('documents:read')
  dpopList(@CurrentAuth() auth: AuthContext) {
    return { subject: auth.subject, jkt: (auth.claims.cnf as { jkt: string }).jkt };
  }

  @Post('documents/dpop')
  @RequireDpop()
  @RequireAnyScope('documents:write', 'documents:admin')
  dpopCreate() {
    return { created: true };
  }

  @Get('admin')
  @RequireAuthentication({ acr: ['mfa'], maxAgeS: 300 })
  admin(@CurrentAuth() auth: AuthContext) {
    return { acr: auth.claims.acr };
  }
}

export function dpopScenario(
  auth: PlatformAuthModuleOptions,
  jwt: JwtAuthModuleOptions,
  controllers: Type[] = [DpopScenarioController],
): Type {
  @Module({
    imports: [PlatformAuthModule.forRoot(auth), JwtAuthModule.forRoot(jwt)],
    controllers,
  })
  class DpopScenarioModule {}
  return DpopScenarioModule;
}
