import { fileURLToPath } from 'node:url';

/** The repository the bench measures (bench/..). */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Everything the bench generates: bundles, the synthesized assembly, compiled child scripts. Git-ignored. */
export const outDir = fileURLToPath(new URL('.out/', import.meta.url));

/** The report the bench writes for tracking ratios over time. */
export const resultsFile = fileURLToPath(new URL('results.json', import.meta.url));
