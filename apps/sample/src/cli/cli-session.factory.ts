import { lstat } from 'node:fs/promises';
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

  /**
   * Whether the cache directory exists. Without it nobody is logged in, and the commands that
   * only read the session (`whoami`, `logout`, `call`) say so without creating it, as opening
   * a `FileTokenCache` entry would.
   */
  async hasCache(config: CliConfig): Promise<boolean> {
    try {
      await lstat(config.cacheDir);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
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
