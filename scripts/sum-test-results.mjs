#!/usr/bin/env node
// Adds up vitest's JSON results (test-results.json) of every workspace package that has a `test` script.
// Prints one line per package, then `N passed, N failed[, N skipped]` as the last line. Exits 1 when a
// package produced no results (counted as a failure), when any test failed, or when no test passed at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const totals = { passed: 0, failed: 0, skipped: 0 };
let problems = 0;
for (const root of ['packages', 'apps']) {
  for (const name of readdirSync(root)) {
    const manifestPath = join(root, name, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (!manifest.scripts?.test) continue;
    const resultsPath = join(root, name, 'test-results.json');
    if (!existsSync(resultsPath)) {
      // Counted as one failure: a package whose tests never ran must not look green in the summary.
      console.log(`${manifest.name}: no test results (its tests did not run), counted as 1 failed`);
      totals.failed += 1;
      problems += 1;
      continue;
    }
    const results = JSON.parse(readFileSync(resultsPath, 'utf8'));
    const passed = results.numPassedTests ?? 0;
    // A test file that fails to load counts as a failed suite with no failed test: count it too.
    const failed = Math.max(results.numFailedTests ?? 0, results.numFailedTestSuites ?? 0);
    const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
    console.log(`${manifest.name}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    if (passed === 0) {
      console.log(`${manifest.name}: no test passed`);
      problems += 1;
    }
    totals.passed += passed;
    totals.failed += failed;
    totals.skipped += skipped;
  }
}
const skippedPart = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
console.log(`${totals.passed} passed, ${totals.failed} failed${skippedPart}`);
process.exit(problems > 0 || totals.failed > 0 || totals.passed === 0 ? 1 : 0);
