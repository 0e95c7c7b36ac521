export * from './auth-capability.enum.js';
