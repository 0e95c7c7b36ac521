import { Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { JwtAuthenticationProvider } from '../jwt/jwt-authentication.provider.js';

/**
 * `@nestjs/terminus` indicator: up when every issuer has a usable key set, down otherwise
 * (with each issuer's state). Checking loads key sets that never loaded (bounded by the
 * key-set cooldown); it never fetches a token.
 *
 * @example
 * ```ts
 * @Get('health')
 * @Public()
 * @HealthCheck()
 * check() {
 *   return this.health.check([() => this.jwt.isHealthy('auth')]);
 * }
 * ```
 */
@Injectable()
export class JwtAuthHealthIndicator {
  private readonly indicators: HealthIndicatorService;

  constructor(
    private readonly provider: JwtAuthenticationProvider,
    @Optional() indicators?: HealthIndicatorService,
  ) {
    this.indicators = indicators ?? new HealthIndicatorService();
  }

  async isHealthy<const Key extends string>(key: Key) {
    await this.provider.warm();
    const issuers = this.provider.status().map(({ issuer, state, keys, lastFailure }) => ({
      issuer,
      state,
      keys,
      ...(lastFailure !== undefined && { lastFailure }),
    }));
    const session = this.indicators.check(key);
    return issuers.every((issuer) => issuer.state === 'ready')
      ? session.up({ issuers })
      : session.down({ issuers });
  }
}
