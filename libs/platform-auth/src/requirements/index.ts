export { param, query, body, isDynamicRef } from './dynamic-ref.js';
export type { DynamicRef, RefSource, RefValue } from './dynamic-ref.js';
export type * from './auth-requirement.js';
export type { RoutePlan, RouteAccess, DefaultAccess } from './route-plan.js';
