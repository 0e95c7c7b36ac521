import { setAuthMetadata } from './auth-metadata.decorator.js';
import { PROTECTED_METADATA } from '../requirements/auth-metadata.constants.js';

/**
 * Requires an authenticated caller, nothing more. Routes are protected by default; use this to
 * be explicit, or when the module's `defaultAccess` is `'public'`.
 */
export const Protected = (): ClassDecorator & MethodDecorator =>
  setAuthMetadata(PROTECTED_METADATA, true);
