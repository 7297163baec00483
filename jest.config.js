/** Jest: ts-jest transpiles only (type-checking is `tsc --noEmit`, run first by `npm test`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  maxWorkers: 2,
  testTimeout: 60000,
  // Jest force-exits a worker that has not exited 500 ms after the run (jest-worker's default) and prints
  // "a worker process has failed to exit gracefully". On a loaded machine a worker with no open handle at
  // all needs longer: the warning came even for a file holding only expect(1).toBe(1) (load ~18 on 2 cores),
  // and with this window no worker needed a forced exit (setup()/createTestDb on both databases, the server,
  // CLI and README-run tests). A real leak (an open socket, pool or interval) keeps a worker alive for
  // good, so it is still reported after 5 s.
  workerGracefulExitTimeout: 5000,
};
