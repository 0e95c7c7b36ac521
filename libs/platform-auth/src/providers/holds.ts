/** Whether `granted` contains every value of `required` (exact match). */
export function holdsAll(granted: readonly string[], required: readonly string[]): boolean {
  return required.every((value) => granted.includes(value));
}

/** Whether `granted` contains at least one value of `required` (exact match). */
export function holdsAny(granted: readonly string[], required: readonly string[]): boolean {
  return required.some((value) => granted.includes(value));
}
