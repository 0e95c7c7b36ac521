import { type DynamicModule, Module } from '@nestjs/common';
import {
  type PlatformClientOptions,
  resolvePlatformClientOptions,
} from './http/platform-client.options.js';
import { PlatformTransport } from './http/platform-transport.js';
import { resolveTokenSource } from './http/token-option.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
} from './platform-client.module-definition.js';

/**
 * The authenticated outbound client for a Nest application. Each import registers one
 * `PlatformClient`: the default one (inject `PlatformClient` or `@InjectPlatformClient()`), or a
 * named one (`name: 'billing'`, inject `@InjectPlatformClient('billing')`). Options are validated
 * when the module is built (`TypeError` naming the option); the client's connections are closed
 * on application shutdown. Global by default (`isGlobal`).
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     PlatformClientModule.forRoot({
 *       baseUrl: 'https://api.example.com',
 *       token: {
 *         provider: { grant: 'client_credentials', issuer, clientId, clientSecret, scope: 'orders:read' },
 *       },
 *     }),
 *     PlatformClientModule.forRoot({ name: 'billing', baseUrl: billingUrl, token: () => vault.token() }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({})
export class PlatformClientModule extends ConfigurableModuleClass {
  /**
   * Registers a client with static options, validated immediately (the token options too;
   * no I/O).
   * @throws TypeError naming the offending option
   */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    validatePlatformClientOptions(withoutExtras(options));
    return super.forRoot(options);
  }

  /**
   * Registers a client whose options come from a factory, class or existing provider (e.g.
   * `platformClientOptionsFromConfig` with `ConfigService`). They are validated when the
   * application initialises.
   */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}

/**
 * Validates client options, the token options included, without any I/O.
 * @throws TypeError naming the offending option
 */
export function validatePlatformClientOptions(options: PlatformClientOptions): void {
  const resolved = resolvePlatformClientOptions(options);
  if (resolved.token === undefined) return;
  const transport = new PlatformTransport();
  try {
    resolveTokenSource(resolved.token, { fetch: transport.fetch });
  } finally {
    void transport.close();
  }
}

function withoutExtras(options: typeof OPTIONS_TYPE): PlatformClientOptions {
  const rest: Partial<typeof OPTIONS_TYPE> = { ...options };
  delete rest.isGlobal;
  delete rest.name;
  return rest as PlatformClientOptions;
}
