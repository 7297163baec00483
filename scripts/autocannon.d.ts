/** The few parts of autocannon's result that scripts/perf-http.ts reads (the package ships no types). */
declare module 'autocannon' {
  interface Result {
    requests: { average: number; total: number };
    latency: { p99: number; p50: number };
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  function autocannon(opts: Record<string, unknown>): Promise<Result>;
  export = autocannon;
}
