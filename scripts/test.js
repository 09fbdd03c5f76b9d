// The project's one test command: lint, typecheck, Temporal CLI, pgvector on the test PostgreSQL, then every Vitest project.
// Plain JavaScript so that it runs before anything is built. Extra arguments go to Vitest.
// The last line it prints is the summary `N passed, M failed[, K skipped]`.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const binary = (name) => join(projectRoot, 'node_modules', '.bin', name);

const totals = { passed: 0, failed: 0, skipped: 0 };

/** A step that is not a Vitest test counts as one check that passed or failed. */
function runCheck(title, command, args) {
  console.log(`\n> ${title}`);
  const passed = run(command, args) === 0;
  if (passed) totals.passed += 1;
  else totals.failed += 1;
  console.log(`${passed ? '✓' : '✗'} ${title}`);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit' });
  if (result.error) console.error(result.error.message);
  return result.status ?? 1;
}

function runVitest(extraArgs) {
  const reportFile = join(tmpdir(), `swarmflow-vitest-${process.pid}.json`);
  console.log('\n> vitest run');
  const status = run(binary('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
    ...extraArgs,
  ]);
  const counts = readVitestCounts(reportFile);
  rmSync(reportFile, { force: true });
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  // A failed global setup or an unhandled error fails the run without failing any single test.
  if (status !== 0 && counts.failed === 0) totals.failed += 1;
}

/** Counts from Vitest's JSON report; a test file that failed without a failed test (e.g. did not load) is one failure. */
function readVitestCounts(reportFile) {
  let report;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    return { passed: 0, failed: 0, skipped: 0 };
  }
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

function summary() {
  const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
  return `${totals.passed} passed, ${totals.failed} failed${skipped}`;
}

runCheck('biome check', binary('biome'), ['check', '.']);
runCheck('tsc --noEmit', binary('tsc'), ['--noEmit']);
runCheck('Temporal CLI', process.execPath, ['--import', 'tsx', join('scripts', 'ensure-temporal.ts')]);
runCheck('pgvector', process.execPath, ['--import', 'tsx', join('scripts', 'ensure-pgvector.ts')]);
runCheck('manifest validator', process.execPath, [
  '--import',
  'tsx',
  join('scripts', 'ensure-k8s-validate.ts'),
]);
runVitest(process.argv.slice(2));
console.log(`\n${summary()}`);
process.exitCode = totals.failed > 0 ? 1 : 0;
