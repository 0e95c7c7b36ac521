import { Controller, Get } from '@nestjs/common';
import {
  type AuthContext,
  CurrentAuth,
  Protected,
  Public,
  RequireScope,
} from '@nest-platform/auth';

/** The routes every benchmark app serves: public, protected, and scope-checked. */
@Controller()
export class BenchController {
  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('protected')
  @Protected()
  protectedRoute(@CurrentAuth() auth: AuthContext) {
    return { ok: true, sub: auth.subject };
  }

  @Get('scoped')
  @RequireScope('bench:read')
  scoped(@CurrentAuth() auth: AuthContext) {
    return { ok: true, sub: auth.subject };
  }
}
