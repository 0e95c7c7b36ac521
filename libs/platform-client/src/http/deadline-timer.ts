import { type Clock, systemClock } from '../shared/clock.js';

/** Why a timer-driven abort fired; a constant, so aborting never builds a DOMException. */
export const TIMER_FIRED = Symbol('platform-client:timer-fired');
const CANCELLED = Symbol('platform-client:timer-cancelled');

function noop(): void {}

/**
 * Aborts `controller` after `ms` on `clock`; returns a function that cancels the timer.
 * On the system clock it is a plain `setTimeout` (one per call, on the hot path); on an injected
 * clock it is `clock.sleep()`, so tests drive deadlines with virtual time.
 */
export function abortAfter(clock: Clock, ms: number, controller: AbortController): () => void {
  if (clock === systemClock) {
    const timer = setTimeout(() => controller.abort(TIMER_FIRED), ms);
    return () => clearTimeout(timer);
  }
  const cancel = new AbortController();
  clock.sleep(ms, cancel.signal).then(() => controller.abort(TIMER_FIRED), noop);
  return () => cancel.abort(CANCELLED);
}
