/**
 * Jest in native ESM mode (middy 7 is ESM-only): `npm test` sets --experimental-vm-modules, and
 * @swc/jest strips the TypeScript.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
        module: { type: 'es6' },
      },
    ],
  },
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/test/support/count-reporter.js'],
};
