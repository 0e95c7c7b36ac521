import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { PlatformClient } from '../http/platform-client.js';
import { getPlatformClientToken } from '../platform-client.constants.js';
import type { AuthenticatedHealthState } from '../http/platform-client-health.js';

/** Options of {@link PlatformClientHealthIndicator.isHealthy}. */
export interface PlatformClientHealthCheckOptions {
  /** The named client to check; the default client when omitted. */
  readonly client?: string;
  /** Deadline of each probe in ms. @default 5000 */
  readonly timeoutMs?: number;
  /**
   * Authenticated states that count as healthy. `no-token` (nothing cached yet and no failure
   * known, so nothing was checked) and `not-configured` are healthy by default: health never
   * acquires a token. `token-failed` (the last acquisition failed) is not.
   * @default ['ok', 'no-token', 'not-configured']
   */
  readonly healthyAuthStates?: readonly AuthenticatedHealthState[];
}

const DEFAULT_HEALTHY: readonly AuthenticatedHealthState[] = ['ok', 'no-token', 'not-configured'];

/**
 * A `@nestjs/terminus` health indicator for a `PlatformClient`: `up` when the API's public
 * health endpoint answers 2xx and the authenticated probe is in a healthy state; `down`
 * otherwise, with the report (no token, no body) as details. Register it next to
 * `TerminusModule` in your health module.
 *
 * @example
 * ```ts
 * @Module({ imports: [TerminusModule], providers: [PlatformClientHealthIndicator], controllers: [HealthController] })
 * class HealthModule {}
 *
 * @Get('health') @HealthCheck()
 * check() {
 *   return this.health.check([() => this.platform.isHealthy('orders-api')]);
 * }
 * ```
 */
@Injectable()
export class PlatformClientHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Checks one client; never acquires a token. */
  async isHealthy<const Key extends string>(
    key: Key,
    options: PlatformClientHealthCheckOptions = {},
  ) {
    const session = this.indicators.check(key);
    const client = this.moduleRef.get<PlatformClient>(getPlatformClientToken(options.client), {
      strict: false,
    });
    const report = await client.health(
      options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {},
    );
    const healthyStates = options.healthyAuthStates ?? DEFAULT_HEALTHY;
    const data = { public: report.public, authenticated: report.authenticated };
    return report.public.ok && healthyStates.includes(report.authenticated.state)
      ? session.up(data)
      : session.down(data);
  }
}
