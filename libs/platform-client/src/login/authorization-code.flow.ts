import {
  authorizationCodeGrant,
  // openid-client's own class of the same name and meaning; wrapped (sanitised) in ours below.
  AuthorizationResponseError as OpenIdAuthorizationResponseError,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  randomPKCECodeVerifier,
  randomState,
} from 'openid-client';
import { AuthorizationResponseError } from '../errors/authorization-response.error.js';
import { UnsupportedByIssuerError } from '../errors/unsupported-by-issuer.error.js';
import { scrubCredentials } from '../secrets/scrub-credentials.js';
import type { Clock } from '../shared/clock.js';
import { assertAllowedEndpoint } from '../tokens/providers/endpoint-policy.js';
import type { OpenIdConnection } from '../tokens/providers/openid-connection.js';
import { toTokenSet } from '../tokens/providers/token-response.js';
import type { TokenSet } from '../shared/token-set.js';
import type { BrowserOpener } from './browser-opener.js';
import type { LoginEventListener } from './login-event.js';
import { LoopbackCallbackServer } from './loopback-callback.server.js';

/** What one loopback authorization needs. */
export interface LoopbackFlowParameters {
  readonly connection: OpenIdConnection;
  readonly clock: Clock;
  readonly scope: string;
  readonly audience?: string;
  readonly allowHttp: boolean;
  readonly ports: readonly number[];
  readonly callbackTimeoutMs: number;
  readonly defaultExpiresInS: number;
  readonly openBrowser: BrowserOpener;
  readonly onEvent: LoginEventListener;
  readonly signal?: AbortSignal;
  /** Step-up parameters of the authorization request (`acr_values`, `max_age`). */
  readonly stepUp?: Readonly<Record<string, string>>;
}

/**
 * Authorization code + PKCE (S256) with a loopback redirect: binds 127.0.0.1 on the first free
 * port, sends the browser to the authorization endpoint with a fresh `state` and code challenge,
 * waits for the redirect, and exchanges the code (openid-client checks `state` and `iss` again).
 * The code verifier never leaves this function except in the token request.
 *
 * Fails with `LoopbackUnavailableError`, `BrowserUnavailableError` or `CallbackTimeoutError`
 * when the device flow should take over, with `AccessDeniedError` / `AuthorizationResponseError`
 * when it should not.
 * @see RFC 7636, RFC 8252 §7.3, RFC 9700 §2.1.1
 */
export async function runLoopbackFlow(parameters: LoopbackFlowParameters): Promise<TokenSet> {
  const { connection, clock, signal, onEvent } = parameters;
  const server = await LoopbackCallbackServer.listen(parameters.ports);
  try {
    const codeVerifier = randomPKCECodeVerifier();
    const codeChallenge = await calculatePKCECodeChallenge(codeVerifier);
    const state = randomState();
    const resource: Record<string, string> = parameters.audience
      ? { resource: parameters.audience }
      : {};
    const url = await connection.run(signal, (config) => {
      const endpoint = config.serverMetadata().authorization_endpoint;
      if (!endpoint) throw new UnsupportedByIssuerError('authorization_endpoint');
      assertAllowedEndpoint(endpoint, 'authorization_endpoint', parameters.allowHttp);
      return Promise.resolve(
        buildAuthorizationUrl(config, {
          redirect_uri: server.redirectUri,
          scope: parameters.scope,
          code_challenge: codeChallenge,
          code_challenge_method: 'S256',
          state,
          // OpenID Connect Core §11: offline_access needs prompt=consent (else it is dropped).
          ...(parameters.scope.split(' ').includes('offline_access') ? { prompt: 'consent' } : {}),
          ...resource,
          ...parameters.stepUp,
        }),
      );
    });

    const cancel = new AbortController();
    const callback = server.waitForCallback(
      state,
      parameters.callbackTimeoutMs,
      clock,
      signal ? AbortSignal.any([signal, cancel.signal]) : cancel.signal,
    );
    callback.catch(() => undefined);
    onEvent({ type: 'authorization-url', url: url.href, redirectUri: server.redirectUri });
    try {
      await parameters.openBrowser(url.href);
    } catch (error) {
      cancel.abort(error);
      throw error;
    }
    onEvent({ type: 'browser-opened', timeoutMs: parameters.callbackTimeoutMs });
    const received = await callback;
    try {
      const tokenSet = await connection.run(signal, async (config) => {
        try {
          const response = await authorizationCodeGrant(
            config,
            received.url,
            { pkceCodeVerifier: codeVerifier, expectedState: state },
            resource,
          );
          return toTokenSet(response, clock.now(), parameters.defaultExpiresInS);
        } catch (error) {
          if (error instanceof OpenIdAuthorizationResponseError) {
            throw new AuthorizationResponseError(
              scrubCredentials(error.error, [], 64) ?? 'unnamed_error',
            );
          }
          throw error;
        }
      });
      received.respond('success');
      return tokenSet;
    } catch (error) {
      received.respond('failure');
      throw error;
    }
  } finally {
    await server.close();
  }
}
