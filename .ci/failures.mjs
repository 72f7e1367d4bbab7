// Prints, for each vitest JSON report given, the tests that failed and the first lines of why, so the
// end of a CI log (often all that is kept) names what broke. Prints nothing when everything passed.
// Usage: node .ci/failures.mjs test-results/vitest.json test-results/vitest-infra.json …
import { existsSync, readFileSync } from 'node:fs';

const LINES = 25;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) continue;
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(`${file}: unreadable report (${error.message})`);
    continue;
  }
  for (const suite of report.testResults ?? []) {
    const failed = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
    const where = suite.name.replace(process.cwd() + '/', '');
    if (suite.status === 'failed' && failed.length === 0) {
      console.log(`\n✗ ${where} (the file failed outside any test)\n${indent(suite.message)}`);
    }
    for (const test of failed) {
      console.log(`\n✗ ${where} › ${test.fullName}\n${indent(test.failureMessages?.[0])}`);
    }
  }
}

function indent(text = '') {
  const lines = String(text).split('\n');
  const shown = lines.slice(0, LINES).map((l) => `    ${l}`);
  if (lines.length > LINES) shown.push(`    … ${lines.length - LINES} more lines`);
  return shown.join('\n');
}
