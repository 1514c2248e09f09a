import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * One vitest configuration for every package. `kind` picks unit tests (`*.test.ts`
 * beside the code) or integration tests (`*.int.test.ts`, real Kafka/Postgres/emulator).
 * When VITEST_REPORT_DIR is set (by .ci/run), a JSON report is written there so the
 * CI script can sum passed/failed over all suites.
 */
export function vitestConfig(packageName: string) {
  const kind = process.env.TEST_KIND === 'integration' ? 'integration' : 'unit';
  const reportDir = process.env.VITEST_REPORT_DIR;
  const reporters: (string | [string, Record<string, unknown>])[] = ['default'];
  if (reportDir) {
    reporters.push([
      'json',
      { outputFile: join(reportDir, `${packageName.replace(/[^a-z0-9]+/gi, '_')}-${kind}.json`) },
    ]);
  }
  return defineConfig({
    test: {
      include: kind === 'integration' ? ['**/*.int.test.ts'] : ['src/**/*.test.ts'],
      exclude: ['**/node_modules/**', '**/dist/**', ...(kind === 'unit' ? ['**/*.int.test.ts'] : [])],
      passWithNoTests: true,
      testTimeout: kind === 'integration' ? 60_000 : 10_000,
      hookTimeout: kind === 'integration' ? 120_000 : 10_000,
      fileParallelism: kind !== 'integration',
      reporters,
    },
  });
}
