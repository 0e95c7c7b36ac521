import { createServer } from 'node:net';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { platformClientOptionsFromConfig } from '@nest-platform/client/config';
import type { EmbeddedIssuer } from '../issuer/embedded-issuer.js';
import { sampleJwtOptions } from './sample-jwt.options.js';
import {
  collectProblems,
  SampleConfigurationError,
  sampleSettingsFromConfig,
} from './sample.environment.js';

/** The audience of the embedded mode when `PLATFORM_AUTH_AUDIENCE` is unset. */
export const DEFAULT_SAMPLE_AUDIENCE = 'urn:platform-sample:api';

/** Where the API listens. */
export interface ApiEndpoint {
  readonly port: number;
  readonly url: string;
}

/** The issuer the API trusts: the embedded one, or those of `PLATFORM_AUTH_ISSUER`. */
export type IssuerEndpoint =
  | { readonly mode: 'embedded'; readonly url: string; readonly audience: string }
  | { readonly mode: 'external'; readonly urls: readonly string[] };

/**
 * The sample's endpoints, resolved at boot: the API's port and URL (known before listening, so
 * the outbound client can call the API itself) and the issuer. Starts the embedded issuer when
 * `PLATFORM_AUTH_ISSUER` is unset, and stops it at shutdown.
 */
export class SampleEndpoints implements OnApplicationShutdown {
  /** Use {@link SampleEndpoints.fromConfig}. */
  constructor(
    readonly api: ApiEndpoint,
    readonly issuer: IssuerEndpoint,
    private readonly embedded?: EmbeddedIssuer,
  ) {}

  /**
   * Validates the whole configuration first — `PORT`, `PLATFORM_SAMPLE_ISSUER_PORT`, every
   * `PLATFORM_AUTH_*` variable and (external mode with `PLATFORM_CLIENT_BASE_URL`) every
   * `PLATFORM_CLIENT_*` one — and reports every problem in one error; then starts the embedded
   * issuer when there is no external one. Nothing is started when anything is invalid (a
   * failure in a later provider factory would leave the issuer listening, as
   * `onApplicationShutdown` never runs then).
   * @throws SampleConfigurationError listing every invalid variable
   */
  static async fromConfig(config: ConfigService): Promise<SampleEndpoints> {
    const problems: string[] = [];
    const settings = collectProblems(problems, () => sampleSettingsFromConfig(config));
    const external = config.get<string>('PLATFORM_AUTH_ISSUER')?.trim();
    const audience =
      config.get<string>('PLATFORM_AUTH_AUDIENCE')?.trim() || DEFAULT_SAMPLE_AUDIENCE;
    if (
      !external &&
      (!URL.canParse(audience) || audience.includes('#') || audience.includes(','))
    ) {
      problems.push(
        'PLATFORM_AUTH_AUDIENCE must be one absolute URI without fragment (an RFC 8707 resource indicator) for the embedded issuer',
      );
    }
    const issuer: IssuerEndpoint = external
      ? {
          mode: 'external',
          urls: external
            .split(',')
            .map((url) => url.trim())
            .filter(Boolean),
        }
      : { mode: 'embedded', url: 'http://127.0.0.1', audience };
    const provisional = new SampleEndpoints({ port: 0, url: 'http://127.0.0.1' }, issuer);
    collectProblems(problems, () => sampleJwtOptions(config, provisional));
    if (external && config.get<string>('PLATFORM_CLIENT_BASE_URL')) {
      collectProblems(problems, () => platformClientOptionsFromConfig(config));
    }
    if (!settings || problems.length > 0) throw new SampleConfigurationError(problems);

    const port = settings.port === 0 ? await freeLoopbackPort() : settings.port;
    const api = { port, url: `http://127.0.0.1:${port}` };
    if (issuer.mode === 'external') return new SampleEndpoints(api, issuer);
    // Loaded only in embedded mode: oidc-provider is a fifth of the sample's start-up.
    const { startEmbeddedIssuer } = await import('../issuer/embedded-issuer.js');
    let embedded: EmbeddedIssuer;
    try {
      embedded = await startEmbeddedIssuer({ port: settings.issuerPort, audience });
    } catch (error) {
      throw portInUse(error, 'PLATFORM_SAMPLE_ISSUER_PORT', settings.issuerPort) ?? error;
    }
    return new SampleEndpoints(api, { mode: 'embedded', url: embedded.url, audience }, embedded);
  }

  /** Stops the embedded issuer, if this instance started one. */
  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.close();
  }
}

/**
 * A port the sample should listen on is taken: names the variable to change. Not an
 * `Error` subclass of Nest's, so the boot failure handler prints just this message.
 */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';

  constructor(
    readonly variable: 'PORT' | 'PLATFORM_SAMPLE_ISSUER_PORT',
    readonly port: number,
  ) {
    super(
      `${variable}: port ${port} on 127.0.0.1 is already in use. Potential solutions: stop the ` +
        `process that uses it, or set ${variable} to another port (0 picks a free one).`,
    );
  }
}

/** `error` as a {@link PortInUseError} naming `variable` when it is `EADDRINUSE`. */
export function portInUse(
  error: unknown,
  variable: PortInUseError['variable'],
  port: number,
): PortInUseError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EADDRINUSE' ? new PortInUseError(variable, port) : undefined;
}

/**
 * A free port on 127.0.0.1 for `PORT=0`. The outbound client needs the API's URL before Nest
 * listens, so the port is picked first; another process could take it in between, which only
 * matters on a busy test machine and then fails loudly at listen.
 */
async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
