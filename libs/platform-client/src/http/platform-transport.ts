import { Agent, type Dispatcher, EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

/**
 * Outbound proxy settings. The library never reads `process.env`: the config mapping (or the
 * application) fills these from `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`.
 */
export interface PlatformProxyOptions {
  /** Proxy for `https://` targets (CONNECT tunnel). */
  readonly httpsProxy?: string;
  /** Proxy for `http://` targets (CONNECT tunnel as well). */
  readonly httpProxy?: string;
  /** Comma- or space-separated hosts (`host`, `.suffix`, `*.suffix`, `host:port`, `*`) that bypass the proxy. */
  readonly noProxy?: string;
}

/** How the transport connects: proxy, trusted CAs, connection limits. */
export interface PlatformTransportOptions {
  readonly proxy?: PlatformProxyOptions;
  /** PEM certificate(s) trusted for TLS instead of Node's default bundle. */
  readonly ca?: string | readonly string[];
  /** TCP + TLS connect timeout in ms. @default 10000 */
  readonly connectTimeoutMs?: number;
}

/**
 * One undici dispatcher shared by the API calls, discovery and token calls of a client, so all
 * of them go through the same proxy and trust the same CA. Close it on shutdown.
 */
export class PlatformTransport {
  /** The dispatcher API calls use (`undici.request` semantics). */
  readonly dispatcher: Dispatcher;
  /**
   * A `fetch` over {@link dispatcher}: hand it to token providers (`createAccessTokenSource(…,
   * { fetch })`) so discovery and token requests use the proxy and CA too.
   */
  readonly fetch: typeof fetch;
  private closed?: Promise<void>;

  constructor(options: PlatformTransportOptions = {}) {
    const tls = options.ca !== undefined ? { ca: [options.ca].flat() } : {};
    const agentOptions: Agent.Options = {
      connect: { ...tls, timeout: options.connectTimeoutMs ?? 10_000 },
    };
    const proxy = options.proxy;
    const dispatcher: Dispatcher =
      proxy && (proxy.httpsProxy || proxy.httpProxy)
        ? new EnvHttpProxyAgent({
            ...agentOptions,
            // Explicit '' (never undefined): undici would otherwise fall back to process.env.
            httpProxy: proxy.httpProxy ?? '',
            httpsProxy: proxy.httpsProxy ?? '',
            noProxy: proxy.noProxy ?? '',
            // The tunnelled target is verified against the same CA bundle.
            requestTls: tls,
          })
        : new Agent(agentOptions);
    this.dispatcher = dispatcher;
    this.fetch = ((
      input: Parameters<typeof undiciFetch>[0],
      init?: Parameters<typeof undiciFetch>[1],
    ) => undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
  }

  /** Closes every pooled connection; idempotent. */
  close(): Promise<void> {
    this.closed ??= this.dispatcher.close().catch(() => undefined);
    return this.closed;
  }
}
