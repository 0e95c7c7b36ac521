import { Controller } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/**
 * The pattern of {@link MessageGuardProbe}'s handler: unique per process, so that no handler of
 * the app can share it. The probe is removed from every transport server before it starts, so
 * nothing ever subscribes to it or receives it.
 */
export const MESSAGE_GUARD_PROBE_PATTERN = `platform-auth:guard-probe:${randomUUID()}`;

// Read as strings so platform-auth needs no @nestjs/microservices (what @MessagePattern sets).
const PATTERN_METADATA = 'microservices:pattern';
const PATTERN_HANDLER_METADATA = 'microservices:handler_type';
const MESSAGE_HANDLER = 1; // PatternHandler.MESSAGE

/**
 * A message handler that `PlatformAuthModule` adds to every microservice of the app, so that
 * its handler is built exactly as the app's own message handlers are, with the same global
 * guards. `MessageGuardCoverage` invokes it in process before the microservice starts:
 * `PlatformAuthGuard` recognises it (before any plan lookup) and marks the probe as reached, or
 * the probe's body runs, which means the guard never does for that microservice's handlers.
 *
 * `@Controller([])`: no HTTP path, so it maps no route and logs no mapping.
 */
@Controller([])
export class MessageGuardProbe {
  /** Does nothing: reaching it at all is the answer. */
  probe(): undefined {
    return undefined;
  }
}

Reflect.defineMetadata(
  PATTERN_METADATA,
  [MESSAGE_GUARD_PROBE_PATTERN],
  MessageGuardProbe.prototype.probe,
);
Reflect.defineMetadata(
  PATTERN_HANDLER_METADATA,
  MESSAGE_HANDLER,
  MessageGuardProbe.prototype.probe,
);

/** The payload of one probe: an in-process object, which no transport can deliver. */
export type GuardProbeToken = object & { readonly __guardProbe: unique symbol };

const reached = new WeakSet<object>();
const issued = new WeakSet<object>();

/** A fresh probe payload. */
export function createGuardProbeToken(): GuardProbeToken {
  const token = Object.freeze({}) as GuardProbeToken;
  issued.add(token);
  return token;
}

/** Called by `PlatformAuthGuard` on the probe handler with the invocation's payload. */
export function markGuardProbeReached(payload: unknown): void {
  if (typeof payload === 'object' && payload !== null && issued.has(payload)) reached.add(payload);
}

/** Whether `PlatformAuthGuard` saw this probe. */
export function guardProbeReached(token: GuardProbeToken): boolean {
  return reached.has(token);
}
