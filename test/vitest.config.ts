import { vitestConfig } from '../vitest.base';

const config = vitestConfig('e2e');
// The observability suites boot the whole stack and a Prometheus; scripts/ci-checks/observability.sh
// runs them (OBSERVABILITY=1), so the shared integration step does not run them twice.
if (process.env.OBSERVABILITY !== '1' && config.test) {
  config.test.exclude = [...(config.test.exclude ?? []), 'observability/**'];
}
if (process.env.OBSERVABILITY === '1' && config.test) {
  config.test.testTimeout = 240_000;
  config.test.hookTimeout = 240_000;
}
export default config;
