import { vitestConfig } from '../vitest.base';

const config = vitestConfig('e2e');
if (config.test) {
  const unit = process.env.TEST_KIND !== 'integration';
  // Pure helpers of the observability harness have unit tests beside them.
  if (unit) config.test.include = [...(config.test.include ?? []), 'observability/**/*.test.ts'];
  // The observability suites boot the whole stack and a Prometheus; scripts/ci-checks/observability.sh
  // runs them (OBSERVABILITY=1), so the shared integration step does not run them twice.
  if (process.env.OBSERVABILITY !== '1') {
    config.test.exclude = [...(config.test.exclude ?? []), 'observability/**/*.int.test.ts'];
  } else {
    config.test.testTimeout = 240_000;
    config.test.hookTimeout = 240_000;
  }
}
export default config;
