import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { originOf, type ProviderOrigin } from '../modules/provider-origin.js';
import {
  ALL_AUTH_CAPABILITIES,
  type AuthCapability,
} from '../capabilities/auth-capability.enum.js';
import { AUTH_PROVIDER_CAPABILITIES } from '../decorators/auth-provider.decorator.js';
import { CAPABILITY_PORTS } from '../ports/capability-ports.js';

/** One provider found to supply a capability. */
export interface CapabilityProviderEntry {
  /** Class name (or token) shown in messages. */
  readonly name: string;
  /** The singleton instance, or `undefined` when the provider is request-scoped or transient. */
  readonly instance: object | undefined;
  /** The module that registered it (the first one seen, for one instance under several tokens). */
  readonly origin: ProviderOrigin;
}

/**
 * Finds, for each capability, the distinct providers that supply it: classes declaring it with
 * `@AuthProvider(...)`, and anything registered under the capability's port token. One instance
 * registered under several tokens (`useExisting`, class + port token) counts once.
 */
export function scanCapabilityProviders(
  wrappers: readonly InstanceWrapper[],
): Map<AuthCapability, CapabilityProviderEntry[]> {
  const found = new Map<AuthCapability, Map<unknown, CapabilityProviderEntry>>(
    ALL_AUTH_CAPABILITIES.map((capability) => [capability, new Map()]),
  );
  for (const wrapper of wrappers) {
    const isStatic = wrapper.isDependencyTreeStatic() && !wrapper.isTransient;
    const instance = isStatic && isObject(wrapper.instance) ? wrapper.instance : undefined;
    const implementation = implementationOf(wrapper, instance);
    const capabilities = new Set<AuthCapability>(
      (implementation && Reflect.getMetadata(AUTH_PROVIDER_CAPABILITIES, implementation)) ?? [],
    );
    for (const capability of ALL_AUTH_CAPABILITIES) {
      if (wrapper.token === CAPABILITY_PORTS[capability]) capabilities.add(capability);
    }
    if (capabilities.size === 0) continue;
    const identity = instance ?? implementation ?? wrapper;
    const name = implementation?.name || tokenName(wrapper.token);
    for (const capability of capabilities) {
      const entries = found.get(capability)!;
      if (!entries.has(identity)) {
        entries.set(identity, { name, instance, origin: originOf(wrapper.host) });
      }
    }
  }
  return new Map([...found].map(([capability, entries]) => [capability, [...entries.values()]]));
}

function implementationOf(
  wrapper: InstanceWrapper,
  instance: object | undefined,
): Function | undefined {
  // Class providers carry their class; value, factory and alias providers are known by what they built.
  if (!wrapper.inject && typeof wrapper.metatype === 'function') return wrapper.metatype;
  const built = instance ?? (isObject(wrapper.instance) ? wrapper.instance : undefined);
  return built?.constructor !== Object ? built?.constructor : undefined;
}

function tokenName(token: unknown): string {
  return typeof token === 'function' ? token.name : String(token);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
