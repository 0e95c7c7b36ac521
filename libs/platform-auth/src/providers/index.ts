export * from './context-scope.checker.js';
export * from './context-role.checker.js';
