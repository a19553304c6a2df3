/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The cluster suite needs a control plane: `npm run test:cluster`.
  testPathIgnorePatterns: ['/node_modules/', '/test/cluster/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: { isolatedModules: true } }] },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
