/** Jest: ts-jest transpiles only (type-checking is `tsc --noEmit`, run first by `npm test`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  maxWorkers: 2,
  testTimeout: 60000,
};
