/** How a list of required values is matched: every one (`all`) or at least one (`any`). */
export type MatchMode = 'all' | 'any';
