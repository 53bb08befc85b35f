/** Unit tests run first and fast; integration tests talk to the real MariaDB and Postgres. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  maxWorkers: 2,
  testTimeout: 120000,
  verbose: false,
  reporters: ['default', '<rootDir>/scripts/plain-summary-reporter.js'],
};
