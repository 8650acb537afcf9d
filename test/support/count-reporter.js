/**
 * Ends every run with the one line CI reads, `N passed, N failed` (jest's own summary has another
 * form), and keeps the counts in .jest-results.json for .ci/run.
 */
import { writeFileSync } from 'node:fs';

export default class CountReporter {
  onRunComplete(_contexts, results) {
    // A suite that fails to load has no failed test of its own: count it, so the line never reads green.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed${results.numPendingTests > 0 ? `, ${results.numPendingTests} skipped` : ''}`;
    writeFileSync('.jest-results.json', JSON.stringify({ line, success: results.success }));
    process.stdout.write(`\n${line}\n`);
  }
}
