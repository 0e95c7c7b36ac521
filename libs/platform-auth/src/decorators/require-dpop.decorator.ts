import { appendRequirements } from './append-requirements.js';

/**
 * Requires a DPoP-bound access token (RFC 9449): `Authorization: DPoP <token>` with a valid
 * `DPoP` proof for this request, signed by the key the token is bound to (`cnf.jkt`). A bearer
 * token is refused with 401 and a `DPoP` challenge only. Needs the module option `dpop` (boot
 * fails without it); `dpop.required` puts this on every protected HTTP route.
 *
 * @example `@RequireDpop()`
 */
export function RequireDpop(): ClassDecorator & MethodDecorator {
  return appendRequirements({ kind: 'dpop' });
}
