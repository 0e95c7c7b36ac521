import 'reflect-metadata';
import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Injectable,
  Module,
  Req,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';
import type { AddressInfo } from 'node:net';

/**
 * The comparison of issue #19: the minimal jose guard a team would write by hand. An app-wide
 * guard, `jwtVerify` against a local key set (no network), issuer, audience and `typ` checked,
 * no cache, no claim mapping; routes marked public are skipped.
 */
const { issuer, audience, jwks } = JSON.parse(process.env.BENCH_ISSUER!) as {
  issuer: string;
  audience: string;
  jwks: JSONWebKeySet;
};
const keys = createLocalJWKSet(jwks);
const SKIP = 'bench:public';

@Injectable()
class MinimalJoseGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.get<boolean>(SKIP, context.getHandler())) return true;
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
class JoseController {
  @Get('public')
  @SetMetadata(SKIP, true)
  open() {
    return { ok: true };
  }

  @Get('protected')
  protectedRoute(@Req() request: { user: JWTPayload }) {
    return { ok: true, sub: request.user.sub };
  }
}

@Module({
  controllers: [JoseController],
  providers: [{ provide: APP_GUARD, useClass: MinimalJoseGuard }],
})
class JoseGuardModule {}

const app = await NestFactory.create(JoseGuardModule, { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
