export * from './auth-capability.enum.js';
export * from './auth-provider.decorator.js';
