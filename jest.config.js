/**
 * Jest in native ESM mode (middy 7 is ESM-only): `npm run jest` sets --experimental-vm-modules, and
 * @swc/jest strips the TypeScript. It also sets NODE_COMPILE_CACHE (node_modules/.cache/), so the
 * Node processes the tests start (the CLI, npm start, cdk synth) share V8's code cache, not compile
 * the AWS SDK and aws-cdk-lib afresh each time.
 *
 * Tiers, as Powertools keeps them: jest `projects`, chosen by folder, so a new test file is in a tier
 * by where it is written, never by a list kept here.
 *
 * - unit: everything not in a folder below: functions, policy, commands, the page model, the CLI,
 *   the local mode's parts over an in-process store. No child process, browser or extra server:
 *   `npm test` runs only this tier, in under a minute.
 * - integration (test/integration/): real HTTP servers, `npm start` and the CLI in child processes,
 *   Chromium, store tests on dynalite, fault injection, and soak tests (100,000 events listed).
 * - infrastructure (test/infra/): the CDK stack synthesized and checked (cdk-nag, cfn-guard, and CDK's
 *   own CloudFormation validation, which only test/infra/cfn-guard.test.ts runs: the other files' apps
 *   skip it, test/support/stack-template.ts).
 * - bundles (test/bundle/): the Lambda bundles built and run in fresh processes.
 * - compatibility: every integration test file written per DynamoDB kind (it calls
 *   describeEachKind from test/support/dynamodb-servers.ts), run again on AWS's DynamoDB Local (Java).
 *   Such a file holds only per-kind tests: anything else in it would run twice.
 *
 * `npm run test:all` runs every project. Which kinds a file runs on is this file's choice, passed
 * through `globals.dynamoDbKinds`: dynalite in the integration tier, DynamoDB Local in compatibility.
 * It runs three workers (`--maxWorkers=3`, package.json) on these 2-core machines: a file spends part
 * of its time waiting on a child process, a server or Chromium, and the third worker uses that time.
 * Measured, the whole run: 286 s with three workers and 302 s with two, for the same CPU (541 s and
 * 538 s).
 * @type {import('jest').Config}
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = import.meta.dirname;

const common = {
  rootDir: root,
  roots: ['<rootDir>/test'],
  testEnvironment: 'node',
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
};

/** The folders of the tiers other than unit; everything else under test/ is unit. */
const TIER_FOLDERS = { integration: 'integration', infrastructure: 'infra', bundles: 'bundle' };

/** Integration test files written per DynamoDB kind: the compatibility tier runs them on DynamoDB Local. */
function perKindFiles() {
  const folder = join(root, 'test', TIER_FOLDERS.integration);
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .filter((file) => readFileSync(join(folder, file), 'utf8').includes('describeEachKind('))
    .map((file) => `<rootDir>/${relative(root, join(folder, file))}`);
}

const inFolder = (folder) => [`<rootDir>/test/${folder}/**/*.test.ts`];

export default {
  reporters: ['default', '<rootDir>/test/support/count-reporter.js'],
  // A bound for a hung test, not a deadline: tests that need longer say so themselves. Global: jest
  // reads it from here only (in a project it is ignored, and 5 s applies).
  testTimeout: 60_000,
  // A worker that has run a few files runs the next ones several times slower: with
  // --experimental-vm-modules every file loads its modules into a context of its own, and what the
  // earlier ones left behind (their heaps, V8's feedback) slows the rest. Measured: word-index.test.ts
  // took 47 s after eight infra and integration files in the same worker, under 5 s in a fresh one; the
  // whole run took 534 s of CPU with workers replaced past this limit, 646 s without, 677 s at 500 MB.
  // A new worker costs a fraction of a second; the limit is checked after each file. `npm test` (the
  // unit tier alone, small files) raises it on its command line: there replacing a worker after each
  // file cost more than it saved (measured: 50 s of jest at 150 MB, 43-46 s at 250-1000 MB), while the
  // full run was slowest without it (the same day: 311 s at 150 MB, 331 s at 1000 MB, 344 s at 300 MB).
  workerIdleMemoryLimit: '150MB',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: Object.values(TIER_FOLDERS).map((folder) => `<rootDir>/test/${folder}/`),
      globals: { dynamoDbKinds: ['dynalite'] },
    },
    { ...common, displayName: 'integration', testMatch: inFolder(TIER_FOLDERS.integration), globals: { dynamoDbKinds: ['dynalite'] } },
    { ...common, displayName: 'infrastructure', testMatch: inFolder(TIER_FOLDERS.infrastructure) },
    { ...common, displayName: 'bundles', testMatch: inFolder(TIER_FOLDERS.bundles) },
    {
      ...common,
      displayName: 'compatibility',
      testMatch: perKindFiles(),
      globals: { dynamoDbKinds: ['dynamodb-local'] },
      // One DynamoDB Local (a JVM) for the run, shared by every file: test/support/dynamodb-local-process.ts.
      globalSetup: '<rootDir>/test/support/dynamodb-local-setup.ts',
      globalTeardown: '<rootDir>/test/support/dynamodb-local-teardown.ts',
    },
  ],
};
