// Prints `N passed, N failed` from Vitest's JSON report (Vitest's own summary is not a line CI reads).
// Exits 1 when the report is missing or counts no test at all.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file || !existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// The parallel run's report, and the serial run's beside it (`<file>.serial`) when there is one.
const reports = [file, `${file}.serial`]
  .filter((path) => existsSync(path) && readFileSync(path, 'utf8').trim() !== '')
  .map((path) => JSON.parse(readFileSync(path, 'utf8')));
const sum = (pick) => reports.reduce((total, report) => total + pick(report), 0);
const passed = sum((r) => r.numPassedTests ?? 0);
const failed = sum((r) => (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0));
const skipped = sum((r) => (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0));
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(passed === 0 || failed > 0 ? 1 : 0);
