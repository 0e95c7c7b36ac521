/** A concrete reference to a resource or object, resolved from the invocation. */
export interface ResourceRef {
  /** Kind of resource, e.g. `document`. */
  readonly type: string;
  /** Identifier, e.g. the `:id` route parameter. */
  readonly id: string;
}
