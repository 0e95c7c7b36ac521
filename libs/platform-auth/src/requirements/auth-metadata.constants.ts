/** Metadata key of `@Public()`. */
export const PUBLIC_METADATA = 'platform-auth:public';
/** Metadata key of `@Protected()`. */
export const PROTECTED_METADATA = 'platform-auth:protected';
/** Metadata key of the requirement list that `@Require*` decorators append to. */
export const REQUIREMENTS_METADATA = 'platform-auth:requirements';
