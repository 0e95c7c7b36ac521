/** The token the benchmark sends; anything else is refused. */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';
