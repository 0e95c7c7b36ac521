import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { isObservable, lastValueFrom, type Subscription } from 'rxjs';
import { runInAuthScope } from '../context/auth-context.storage.js';
import { UnguardedMessageHandlersError } from '../errors/unguarded-message-handlers.error.js';
import {
  createGuardProbeToken,
  guardProbeReached,
  MESSAGE_GUARD_PROBE_PATTERN,
} from './message-guard-probe.controller.js';

/** What this reads of an `@nestjs/microservices` transport server (`Server`). */
interface TransportServer {
  listen(callback: (error?: unknown, ...info: unknown[]) => void): unknown;
  getHandlers?(): unknown;
}

type Verdict = UnguardedMessageHandlersError | undefined;

// Per transport server, whichever PlatformAuthModule instance checks it first.
const watched = new WeakSet<object>();
const verdicts = new WeakMap<object, Promise<Verdict>>();

/**
 * Makes "protected by default" hold for message handlers: before a microservice of the app
 * starts listening, checks that `PlatformAuthGuard` runs in its handlers' pipeline, and refuses
 * to start it otherwise (`UnguardedMessageHandlersError`, naming the fix).
 *
 * How: Nest announces every transport server it creates on `ModulesContainer`'s RPC target
 * registry, synchronously in the microservice's constructor, before its handlers are
 * registered. Each one's `listen()` is wrapped to run the check first. The check invokes, in
 * process, the handler of {@link MessageGuardProbe} that Nest registered on that server like
 * every other (with the same global guards) and removes it, so no transport ever subscribes to
 * it. A standalone microservice, and one connected with `{ inheritAppConfig: true }`, run the
 * app's guards; one connected without it runs none. A microservice connected before
 * `app.init()` is checked then too, so that boot fails. A server that passes has each message
 * handler wrapped to run in a fresh auth scope (`scopeHandlers`).
 */
@Injectable()
export class MessageGuardCoverage implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly servers = new Set<TransportServer>();
  private readonly subscription: Subscription;

  constructor(modules: ModulesContainer) {
    this.subscription = modules
      .getRpcTargetRegistry()
      .subscribe((target: unknown) => this.watch(target));
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const server of this.servers) {
      // Handlers not registered yet (deferred initialization): checked when it starts.
      if (!verdicts.has(server) && !handlersOf(server)?.has(MESSAGE_GUARD_PROBE_PATTERN)) continue;
      const problem = await verdictOf(server);
      if (problem !== undefined) throw problem;
    }
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  private watch(target: unknown): void {
    if (!isTransportServer(target)) return;
    this.servers.add(target);
    if (watched.has(target)) return;
    watched.add(target);
    const listen = target.listen;
    target.listen = (callback) =>
      verdictOf(target).then(
        (problem) => {
          if (problem !== undefined) return callback(problem);
          scopeHandlers(target);
          try {
            return listen.call(target, callback);
          } catch (error) {
            return callback(error);
          }
        },
        (error: unknown) => callback(error),
      );
  }
}

type MessageHandler = ((...args: unknown[]) => unknown) & {
  isEventHandler?: boolean;
  extras?: unknown;
  next?: unknown;
};

const scoped = new WeakSet<object>();

/**
 * Runs each message handler of the server in a fresh auth scope (what the HTTP middleware does
 * for requests), so the caller the guard authenticates is the current context in the handler's
 * call tree. Each pattern's handler is replaced by a wrapper that keeps what the transport
 * reads of it (`isEventHandler`, `extras`, the `next` handlers of an event, which the first one
 * calls and which share its scope: the same message, the same caller).
 */
function scopeHandlers(server: TransportServer): void {
  const handlers = handlersOf(server);
  if (handlers === undefined) return;
  for (const [pattern, handler] of handlers) {
    if (typeof handler !== 'function' || scoped.has(handler)) continue;
    const original = handler as MessageHandler;
    const wrapper: MessageHandler = (...args) => runInAuthScope(() => original(...args));
    wrapper.isEventHandler = original.isEventHandler;
    wrapper.extras = original.extras;
    Object.defineProperty(wrapper, 'next', {
      get: () => original.next,
      set: (next: unknown) => (original.next = next),
    });
    scoped.add(wrapper);
    handlers.set(pattern, wrapper);
  }
}

function isTransportServer(target: unknown): target is TransportServer {
  return (
    typeof target === 'object' &&
    target !== null &&
    typeof (target as { listen?: unknown }).listen === 'function'
  );
}

function handlersOf(server: TransportServer): Map<unknown, unknown> | undefined {
  const handlers: unknown = server.getHandlers?.();
  return handlers instanceof Map ? handlers : undefined;
}

/** The verdict on a server, probed once (the probe handler is removed by the first check). */
function verdictOf(server: TransportServer): Promise<Verdict> {
  const cached = verdicts.get(server);
  if (cached !== undefined) return cached;
  const name = server.constructor?.name || 'transport server';
  const handlers = handlersOf(server);
  if (handlers === undefined) {
    return Promise.resolve(new UnguardedMessageHandlersError(name, [], 'unverifiable'));
  }
  const probe = handlers.get(MESSAGE_GUARD_PROBE_PATTERN);
  if (typeof probe !== 'function') {
    // Nothing to probe: fine only while nothing else is registered either (not cached).
    const patterns = [...handlers.keys()].map(String);
    return Promise.resolve(
      patterns.length === 0
        ? undefined
        : new UnguardedMessageHandlersError(name, patterns, 'unverifiable'),
    );
  }
  handlers.delete(MESSAGE_GUARD_PROBE_PATTERN);
  const verdict = runProbe(probe as (...args: unknown[]) => unknown, name, [...handlers.keys()]);
  verdicts.set(server, verdict);
  return verdict;
}

async function runProbe(
  probe: (...args: unknown[]) => unknown,
  server: string,
  patterns: readonly unknown[],
): Promise<Verdict> {
  const token = createGuardProbeToken();
  let completed = false;
  try {
    const result = await probe(token);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    completed = true;
  } catch {
    // Refused: by PlatformAuthGuard (it marked the token), or by something before it.
  }
  if (guardProbeReached(token) || patterns.length === 0) return undefined;
  return new UnguardedMessageHandlersError(
    server,
    patterns.map(String),
    completed ? 'not-inherited' : 'stopped-before-guard',
  );
}
