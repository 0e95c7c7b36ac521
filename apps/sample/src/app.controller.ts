import { Controller, Get } from '@nestjs/common';
import { CurrentAuth, Protected, Public, type AuthContext } from '@nest-platform/auth';

/** `GET /health` (public) and `GET /me` (any authenticated caller: its `AuthContext`). */
@Controller()
export class AppController {
  @Get('health')
  @Public()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('me')
  @Protected()
  me(@CurrentAuth() auth: AuthContext): AuthContext {
    return auth;
  }
}
