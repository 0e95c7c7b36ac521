import { Injectable } from '@nestjs/common';
import { FileTokenCache } from '@nest-platform/client';
import { type CliSession, cliSession, type LoginEventListener } from '@nest-platform/client/login';
import { type CliConfig, type CliConfigFlags, resolveCliConfig } from './cli-config.js';
import { CliRuntime } from './cli-runtime.js';

/** Builds the platform-client {@link CliSession} from flags and the environment. */
@Injectable()
export class CliSessionFactory {
  constructor(private readonly runtime: CliRuntime) {}

  /** @throws CliConfigError naming the flag or variable to fix. */
  config(flags: CliConfigFlags): CliConfig {
    return resolveCliConfig(this.runtime.env, flags);
  }

  create(config: CliConfig, onEvent?: LoginEventListener): CliSession {
    return cliSession({
      issuer: config.issuer,
      clientId: config.clientId,
      scope: config.scope,
      ...(config.audience ? { audience: config.audience } : {}),
      allowHttp: config.allowHttp,
      cache: new FileTokenCache({ directory: config.cacheDir }),
      environment: { env: this.runtime.env },
      ports: config.ports,
      callbackTimeoutMs: config.callbackTimeoutMs,
      deviceIntervalMs: config.deviceIntervalMs,
      ...(onEvent ? { onEvent } : {}),
    });
  }
}
