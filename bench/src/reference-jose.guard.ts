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
import {
  AuthCapability,
  type AuthenticationProvider,
  AuthorizationDecision,
  AuthProvider,
  type Credentials,
  Public,
} from '@nest-platform/auth';
import {
  compactVerify,
  createLocalJWKSet,
  importJWK,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import { BENCH_CALLER } from './bench-caller.js';

/** Issuer, audience and keys of the reference route (the first configured issuer). */
export interface ReferenceIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: JSONWebKeySet;
}

/**
 * The comparison the issue gives for scale: a minimal hand-written guard around jose's
 * `jwtVerify`, no caching, no claim mapping, on `/reference`. Next to it, on
 * `/reference/signature-only`, the least any verify-every-request design on jose can do:
 * `compactVerify` with the key imported once, no claim checked at all (a lower bound, not a
 * usable guard). Both are served next to the
 * platform routes, so the benchmark measures everything in one run.
 */
export async function referenceController({ issuer, audience, jwks }: ReferenceIssuer) {
  const keys = createLocalJWKSet(jwks);
  const [firstKey] = jwks.keys;
  const signingKey = await importJWK(firstKey, firstKey.alg);

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

  @Injectable()
  class SignatureOnlyGuard implements CanActivate {
    async canActivate(context: ExecutionContext): Promise<boolean> {
      const { headers } = context
        .switchToHttp()
        .getRequest<{ headers: Record<string, string | undefined> }>();
      const header = headers.authorization ?? '';
      if (!header.startsWith('Bearer ')) throw new UnauthorizedException();
      try {
        await compactVerify(header.slice(7), signingKey, { algorithms: [firstKey.alg!] });
        return true;
      } catch {
        throw new UnauthorizedException();
      }
    }
  }

  @Controller('reference')
  class ReferenceController {
    @Get()
    @Public() // the platform guard lets it through; MinimalJoseGuard does the work
    @UseGuards(MinimalJoseGuard)
    reference(@Req() request: { user: JWTPayload }) {
      return { ok: true, sub: request.user.sub };
    }

    @Get('signature-only')
    @Public()
    @UseGuards(SignatureOnlyGuard)
    signatureOnly() {
      return { ok: true };
    }
  }
  return ReferenceController;
}

/**
 * The least any `AuthenticationProvider` can cost behind the platform guard: `jose`'s
 * `compactVerify` with the key imported once, no issuer selection, no claim checked, one
 * prebuilt context for every caller. Not a usable provider; served by a second app (one
 * `Authentication` provider per app) so the benchmark can tell the pipeline's share of a
 * verification (guard, authorizer, interceptor, AsyncLocalStorage) from the provider's.
 */
export async function signatureOnlyProvider({ jwks }: Pick<ReferenceIssuer, 'jwks'>) {
  const [firstKey] = jwks.keys;
  const key = await importJWK(firstKey, firstKey.alg);
  const algorithms = [firstKey.alg!];

  @Injectable()
  @AuthProvider(AuthCapability.Authentication)
  class SignatureOnlyAuthentication implements AuthenticationProvider {
    async authenticate(credentials: Credentials) {
      try {
        await compactVerify(credentials.value, key, { algorithms });
        return BENCH_CALLER;
      } catch {
        return AuthorizationDecision.challenge('TOKEN_INVALID');
      }
    }
  }
  return SignatureOnlyAuthentication;
}
