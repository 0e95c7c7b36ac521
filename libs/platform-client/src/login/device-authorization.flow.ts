import { genericGrantRequest, initiateDeviceAuthorization, ResponseBodyError } from 'openid-client';
import { AuthorizationResponseError } from '../errors/authorization-response.error.js';
import { DeviceCodeExpiredError } from '../errors/device-code-expired.error.js';
import { UnsupportedByIssuerError } from '../errors/unsupported-by-issuer.error.js';
import type { Clock } from '../shared/clock.js';
import type { OpenIdConnection } from '../tokens/providers/openid-connection.js';
import { toTokenSet } from '../tokens/providers/token-response.js';
import type { TokenSet } from '../shared/token-set.js';
import type { LoginEventListener } from './login-event.js';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.5: on `slow_down` the interval grows by 5 seconds for this and later polls. */
const SLOW_DOWN_STEP_MS = 5000;
const USER_CODE = /^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/;

/** What one device authorization needs. */
export interface DeviceFlowParameters {
  readonly connection: OpenIdConnection;
  readonly clock: Clock;
  readonly scope: string;
  readonly audience?: string;
  /** Poll interval when the issuer names none (RFC 8628 says 5 s). */
  readonly defaultIntervalMs: number;
  readonly defaultExpiresInS: number;
  readonly onEvent: LoginEventListener;
  readonly signal?: AbortSignal;
  /** Step-up parameters of the device authorization request (`acr_values`, `max_age`). */
  readonly stepUp?: Readonly<Record<string, string>>;
}

/**
 * The device authorization grant: asks for a device code, reports the verification URI and user
 * code (never the device code), then polls the token endpoint every `interval` on the injected
 * clock. `authorization_pending` keeps polling, `slow_down` adds 5 s to the interval,
 * `expired_token` (or the code's `expires_in` running out) is {@link DeviceCodeExpiredError},
 * `access_denied` is `AccessDeniedError`.
 * @see RFC 8628 §3.1–3.5
 */
export async function runDeviceFlow(parameters: DeviceFlowParameters): Promise<TokenSet> {
  const { connection, clock, signal, onEvent } = parameters;
  const resource: Record<string, string> = parameters.audience
    ? { resource: parameters.audience }
    : {};
  const authorization = await connection.run(signal, (config) => {
    if (!config.serverMetadata().device_authorization_endpoint) {
      throw new UnsupportedByIssuerError('device_authorization_endpoint');
    }
    return initiateDeviceAuthorization(config, {
      scope: parameters.scope,
      ...resource,
      ...parameters.stepUp,
    });
  });
  const verificationUri = checkedUri(authorization.verification_uri);
  const verificationUriComplete =
    authorization.verification_uri_complete === undefined
      ? undefined
      : checkedUri(authorization.verification_uri_complete);
  if (!USER_CODE.test(authorization.user_code)) {
    throw new AuthorizationResponseError(
      'the device authorization response has an unusable user_code',
    );
  }
  let intervalMs =
    typeof authorization.interval === 'number' && authorization.interval > 0
      ? authorization.interval * 1000
      : parameters.defaultIntervalMs;
  const expiresAt = clock.now() + authorization.expires_in * 1000;
  onEvent({
    type: 'device-code',
    verificationUri,
    ...(verificationUriComplete ? { verificationUriComplete } : {}),
    userCode: authorization.user_code,
    expiresAt,
    intervalMs,
  });

  for (let attempt = 1; ; attempt++) {
    await clock.sleep(intervalMs, signal);
    if (clock.now() >= expiresAt) throw new DeviceCodeExpiredError();
    const outcome = await connection.run(signal, async (config) => {
      try {
        const response = await genericGrantRequest(config, DEVICE_CODE_GRANT, {
          device_code: authorization.device_code,
          ...resource,
        });
        return { tokenSet: toTokenSet(response, clock.now(), parameters.defaultExpiresInS) };
      } catch (error) {
        if (
          error instanceof ResponseBodyError &&
          (error.error === 'authorization_pending' || error.error === 'slow_down')
        ) {
          return { pending: error.error };
        }
        throw error;
      }
    });
    if (outcome.tokenSet) return outcome.tokenSet;
    const slowDown = outcome.pending === 'slow_down';
    if (slowDown) intervalMs += SLOW_DOWN_STEP_MS;
    onEvent({
      type: 'device-pending',
      attempt,
      remainingMs: Math.max(0, expiresAt - clock.now()),
      intervalMs,
      slowDown,
    });
  }
}

/** Only http(s) URIs without control characters are shown to the person. */
function checkedUri(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new AuthorizationResponseError('the device authorization response has an invalid URI');
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || /[^\x21-\x7e]/.test(value)) {
    throw new AuthorizationResponseError('the device authorization response has an invalid URI');
  }
  return value;
}
