import { PlatformClientError } from './platform-client.error.js';

/**
 * None of the configured loopback ports could be bound on 127.0.0.1, so the authorization code
 * flow cannot receive its redirect. Interactive login falls back to the device flow.
 * @see RFC 8252 §7.3
 */
export class LoopbackUnavailableError extends PlatformClientError<'LOOPBACK_UNAVAILABLE'> {
  override readonly name = 'LoopbackUnavailableError';

  /** @param ports the ports that were tried. */
  constructor(readonly ports: readonly number[]) {
    super(
      'LOOPBACK_UNAVAILABLE',
      `No loopback port is free for the login redirect (tried ${ports.join(', ')}). ` +
        'Potential solutions: free one of the ports, configure other ports, or use the device flow.',
    );
  }
}
