/**
 * Every random test draws from one seed, prints it, and replays it from TEST_SEED: a failure seen
 * once (in CI, on another machine) can be run again exactly, with
 * `TEST_SEED=<seed> npm run jest -- <file> -t '<test>'`.
 */
import { randomInt } from 'node:crypto';

export const SEED_VARIABLE = 'TEST_SEED';

/** The seed for the test labelled `label`: TEST_SEED when set, else a fresh one; printed either way. */
export function testSeed(label: string): number {
  const given = process.env[SEED_VARIABLE];
  const seed = given === undefined || given === '' ? randomInt(2 ** 31 - 1) : Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`${SEED_VARIABLE}=${given}: must be a whole number, as a test printed it`);
  // stderr, not console.log: jest shows it even when the test passes, without a stack frame per line.
  process.stderr.write(`[seed] ${label}: ${seed} (replay: ${SEED_VARIABLE}=${seed})\n`);
  return seed;
}

/** A small seeded generator (mulberry32): the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** fast-check's parameters for the test labelled `label`: its seed from testSeed. */
export const propertyParameters = (label: string, parameters: { numRuns?: number } = {}) => ({ ...parameters, seed: testSeed(label) });
