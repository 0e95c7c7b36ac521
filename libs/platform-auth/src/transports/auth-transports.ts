import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { AuthTransportError } from '../errors/auth-transport.error.js';
import { AuthTransport } from './auth-transport.js';

/**
 * The transports the guard serves, by `ExecutionContext.getType()`: every provider of the app
 * that is an {@link AuthTransport}, collected once when the module initialises (before the app
 * serves anything). Two transports for one type fail boot.
 */
@Injectable()
export class AuthTransports implements OnModuleInit {
  private readonly byType = new Map<string, AuthTransport>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!(instance instanceof AuthTransport)) continue;
      const existing = this.byType.get(instance.type);
      // The same class twice is PlatformAuthModule imported twice: boot validation reports it.
      if (existing !== undefined && existing.constructor === instance.constructor) continue;
      if (existing !== undefined) {
        throw new AuthTransportError(
          'TRANSPORT_CONFLICT',
          `two auth transports serve "${instance.type}" contexts: ${existing.constructor.name} and ${instance.constructor.name}. Provide one: to replace a built-in, register yours under the built-in class, e.g. { provide: HttpAuthTransport, useClass: MyTransport }.`,
        );
      }
      this.byType.set(instance.type, instance);
    }
  }

  /** The transport of a context type, or `undefined` (the guard then refuses). */
  get(type: string): AuthTransport | undefined {
    return this.byType.get(type);
  }

  /** The context types served. */
  types(): readonly string[] {
    return [...this.byType.keys()];
  }
}
