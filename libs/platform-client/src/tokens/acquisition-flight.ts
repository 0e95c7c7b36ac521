import { abortable } from '../shared/abortable.js';

/** Why a flight was aborted at shutdown: nobody waited for it any more. */
export const FLIGHT_ABANDONED = Symbol('platform-client:flight-abandoned');

/**
 * One in-flight token acquisition shared by every caller of a token source (the single flight),
 * with its own abort signal. Callers join with {@link wait} (and leave when their own signal
 * aborts, without cancelling it for the others). After {@link close} it is aborted as soon as
 * no caller waits for it: at once for a background refresh, or when the last caller gives up.
 */
export class AcquisitionFlight<T> {
  /** Settles with the acquisition, or at once when the flight is aborted. */
  readonly done: Promise<T>;
  readonly #controller = new AbortController();
  readonly #work: Promise<unknown>;
  #waiters = 0;
  #closing = false;

  constructor(run: (signal: AbortSignal) => Promise<T>) {
    const work = run(this.#controller.signal);
    this.#work = work.catch(() => undefined);
    this.done = abortable(work, this.#controller.signal);
    // A background flight has no waiter: its failure is handled by whoever started it.
    this.done.catch(() => undefined);
  }

  /** Whether it was aborted because nobody waited for it after close. */
  get abandoned(): boolean {
    return this.#controller.signal.reason === FLIGHT_ABANDONED;
  }

  /** Joins the flight; `signal` only stops this caller waiting. */
  wait(signal?: AbortSignal): Promise<T> {
    this.#waiters++;
    return abortable(this.done, signal).finally(() => {
      this.#waiters--;
      this.#abortIfUnattended();
    });
  }

  /**
   * Shutdown: aborts the flight now if nobody waits for it, else when the last caller leaves.
   * Resolves once an aborted flight's work has let go (its cache lock released).
   */
  async close(): Promise<void> {
    this.#closing = true;
    this.#abortIfUnattended();
    if (this.#controller.signal.aborted) await this.#work;
  }

  #abortIfUnattended(): void {
    if (this.#closing && this.#waiters === 0) this.#controller.abort(FLIGHT_ABANDONED);
  }
}
