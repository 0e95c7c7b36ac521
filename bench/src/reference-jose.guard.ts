import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Injectable,
  Req,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { Public } from '@platform/auth';
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';

/** Issuer, audience and keys of the reference route (the first configured issuer). */
export interface ReferenceIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: JSONWebKeySet;
}

/**
 * The yardstick the issue names: a minimal hand-written guard around jose's `jwtVerify`, no
 * caching, no claim mapping. Served on `/reference` next to the platform routes, so the
 * benchmark measures both in one run.
 */
export function referenceController({ issuer, audience, jwks }: ReferenceIssuer) {
  const keys = createLocalJWKSet(jwks);

  @Injectable()
  class MinimalJoseGuard implements CanActivate {
    async canActivate(context: ExecutionContext): Promise<boolean> {
      const request = context.switchToHttp().getRequest<{
        headers: Record<string, string | undefined>;
        user?: JWTPayload;
      }>();
      const header = request.headers.authorization ?? '';
      if (!header.startsWith('Bearer ')) throw new UnauthorizedException();
      try {
        const { payload } = await jwtVerify(header.slice(7), keys, {
          issuer,
          audience,
          typ: 'at+jwt',
        });
        request.user = payload;
        return true;
      } catch {
        throw new UnauthorizedException();
      }
    }
  }

  @Controller()
  class ReferenceController {
    @Get('reference')
    @Public() // the platform guard lets it through; MinimalJoseGuard does the work
    @UseGuards(MinimalJoseGuard)
    reference(@Req() request: { user: JWTPayload }) {
      return { ok: true, sub: request.user.sub };
    }
  }
  return ReferenceController;
}
