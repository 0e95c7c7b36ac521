import { Controller, Get, Header, Inject, type OnModuleInit, type Type } from '@nestjs/common';
import { Public } from '../decorators/public.decorator.js';
import { PLATFORM_AUTH_OPTIONS } from '../platform-auth.tokens.js';
import type { ResolvedPlatformAuthOptions } from '../platform-auth.options.js';
import { AuthRouteRegistry } from '../routes/auth-route-registry.js';
export { resourceMetadataPath } from './resource-metadata-path.js';

/** RFC 9728 §2 Protected Resource Metadata, as served. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers?: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly resource_signing_alg_values_supported?: readonly string[];
  readonly resource_name?: string;
  readonly resource_documentation?: string;
  readonly dpop_signing_alg_values_supported?: readonly string[];
  readonly dpop_bound_access_tokens_required?: boolean;
}

/**
 * The controller serving `GET <path>`: the RFC 9728 metadata from the module option
 * `resourceMetadata` and the boot-time route table (`scopes_supported` is the union of the
 * scopes routes require). `@Public()` by construction. Its one route is the exact path of the
 * configured resource (`/.well-known/oauth-protected-resource`, or the path-inserted form
 * `/.well-known/oauth-protected-resource/<path>` for a resource with a path, RFC 9728 §3.1):
 * registered by `PlatformAuthModule.forRoot({ resourceMetadata })`, or by the extra
 * `serveResourceMetadata: '<resource identifier>'` of `forRootAsync()`. Boot fails when the
 * options do not configure that same resource.
 */
export function protectedResourceMetadataController(path: string): Type {
  @Public()
  @Controller()
  class ProtectedResourceMetadataController implements OnModuleInit {
    private document?: ProtectedResourceMetadata;

    constructor(
      @Inject(PLATFORM_AUTH_OPTIONS) readonly options: ResolvedPlatformAuthOptions,
      readonly registry: AuthRouteRegistry,
    ) {}

    onModuleInit(): void {
      if (this.options.resourceMetadata?.path !== path) {
        throw new TypeError(
          `PlatformAuthModule: the metadata route ${path} is registered, but the option "resourceMetadata.resource" ${this.options.resourceMetadata ? `is served at ${this.options.resourceMetadata.path}` : 'is missing'}.`,
        );
      }
    }

    @Get(path)
    @Header('Cache-Control', 'public, max-age=300')
    metadata(): ProtectedResourceMetadata {
      return (this.document ??= buildMetadata(this.options, this.registry));
    }
  }
  return ProtectedResourceMetadataController;
}

function buildMetadata(
  options: ResolvedPlatformAuthOptions,
  registry: AuthRouteRegistry,
): ProtectedResourceMetadata {
  const configured = options.resourceMetadata!;
  const { dpop } = options;
  const scopes = registry.requiredScopes();
  // RFC 9728 §2: parameters with zero values are omitted.
  return Object.freeze({
    resource: configured.resource,
    ...(configured.authorizationServers?.length && {
      authorization_servers: configured.authorizationServers,
    }),
    ...(scopes.length > 0 && { scopes_supported: scopes }),
    bearer_methods_supported: options.acceptQueryToken ? ['header', 'query'] : ['header'],
    ...(configured.resourceSigningAlgValuesSupported?.length && {
      resource_signing_alg_values_supported: configured.resourceSigningAlgValuesSupported,
    }),
    ...(configured.resourceName !== undefined && { resource_name: configured.resourceName }),
    ...(configured.resourceDocumentation !== undefined && {
      resource_documentation: configured.resourceDocumentation,
    }),
    ...(dpop && {
      dpop_signing_alg_values_supported: dpop.algorithms,
      dpop_bound_access_tokens_required: dpop.required,
    }),
  });
}
