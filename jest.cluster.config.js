/** The cluster suite (`npm run test:cluster`): each file starts its own local control plane. */
/** @type {import('jest').Config} */
module.exports = {
  ...require('./jest.config'),
  testMatch: ['**/test/cluster/**/*.cluster.test.ts'],
  testPathIgnorePatterns: [],
  // One cluster at a time: a 2-core machine runs one control plane well, not several.
  maxWorkers: 1,
  testTimeout: 600_000,
};
