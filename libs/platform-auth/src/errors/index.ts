export * from './platform-auth.error.js';
export * from './conflicting-auth-metadata.error.js';
export * from './capability-validation.error.js';
export * from './auth-context-unavailable.error.js';
export * from './authorization-failed.error.js';
export * from './invalid-configuration.error.js';
export * from './snapshot-mint.error.js';
export * from './auth-guard-missing.error.js';
