import { ConfigurableModuleBuilder } from '@nestjs/common';
import { ContextRoleChecker } from '../providers/context-role.checker.js';
import { ContextScopeChecker } from '../providers/context-scope.checker.js';
import type { JwtAuthModuleOptions } from './jwt-auth.options.js';

/** Internal token of the validated options (`ResolvedJwtAuthOptions`). */
export const JWT_AUTH_OPTIONS = Symbol('platform-auth:jwt-options');

/** Static extras of `JwtAuthModule.forRoot()` / `forRootAsync()`. */
export interface JwtAuthModuleExtras {
  /** Register the module globally. @default true */
  isGlobal?: boolean;
  /**
   * Also register the claim-based scope and role checkers (`ContextScopeChecker`,
   * `ContextRoleChecker` over the scopes and roles the claim profile extracted). Turn off to
   * supply your own `ScopeChecker` / `RoleChecker`.
   * @default true
   */
  checkers?: boolean;
}

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: RAW_JWT_AUTH_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<JwtAuthModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<JwtAuthModuleExtras>({ isGlobal: true, checkers: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [
      ...(definition.providers ?? []),
      ...(extras.checkers ? [ContextScopeChecker, ContextRoleChecker] : []),
    ],
  }))
  .build();
