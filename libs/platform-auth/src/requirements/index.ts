export { fromArgs, fromBody, fromParam, fromQuery } from './dynamic-ref.js';
export type { DynamicRef, RefValue } from './dynamic-ref.js';
