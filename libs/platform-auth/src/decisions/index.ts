export * from './decision-state.enum.js';
export * from './authorization-decision.js';
export type * from './reason-codes.js';
