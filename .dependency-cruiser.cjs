/**
 * Dependency boundaries (run by `pnpm depcruise`, and by .ci/run after the build so workspace
 * packages resolve through their symlinks to packages/<name> and services/<name>).
 * @type {import('dependency-cruiser').IConfiguration}
 */
const PROD_SRC = '^(services|packages)/[^/]+/src/';
const TEST_FILE = '\\.(int\\.)?test\\.ts$';
// Workspace packages resolve through their symlinks to <dir>/dist when built; unbuilt (or not
// declared as a dependency) they stay unresolved under their package name: match both.
const SERVICES = '(oauth|webhook-ingest|sync-core|renewer|notifier)';

module.exports = {
  forbidden: [
    {
      name: 'kafkajs-only-in-kafka-kit',
      comment:
        'Only packages/shared/src/kafka talks to kafkajs (typed producer/consumer, DLQ, trace headers). ' +
        'Test-only code (testkit, test/, bench/ and services/*/bench/, *.test.ts) may use it directly.',
      severity: 'error',
      from: {
        pathNot: [
          '^packages/shared/src/kafka/',
          '^packages/testkit/',
          '^test/',
          '^bench/',
          '^services/[^/]+/bench/',
          TEST_FILE,
        ],
      },
      to: { path: ['node_modules/kafkajs/', '^kafkajs$', '^kafkajs/'] },
    },
    {
      name: 'no-service-to-service-imports',
      comment: 'Services talk over Kafka and HTTP, never by importing each other. Shared code goes to packages/shared.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'no-service-to-service-package-imports',
      comment: 'Same rule for a service package that does not resolve (not built or not declared).',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: `^@gcal-sync/${SERVICES}(/|$)`, couldNotResolve: true },
    },
    {
      name: 'no-testkit-in-production',
      comment: '@gcal-sync/testkit and @gcal-sync/contract-testkit are dev-only helpers for tests.',
      severity: 'error',
      from: { path: PROD_SRC, pathNot: ['^packages/(contract-)?testkit/', TEST_FILE] },
      to: { path: ['^packages/(contract-)?testkit/', '^@gcal-sync/(contract-)?testkit(/|$)'] },
    },
    {
      name: 'no-emulator-in-production',
      comment: 'The Google emulator is a test and dev stand-in; production code reaches Google through its HTTP API.',
      severity: 'error',
      from: { path: PROD_SRC, pathNot: ['^packages/google-emulator/', '^packages/testkit/', TEST_FILE] },
      to: { path: ['^packages/google-emulator/', '^@gcal-sync/google-emulator(/|$)'] },
    },
    {
      name: 'no-circular',
      comment:
        'Circular imports make start-up order and mocking fragile (type-only imports are erased, so they do not count).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    // Sources are the starting points (scripts/depcruise.sh passes globs); built output is only
    // ever a target, reached through a workspace symlink, and not followed further.
    doNotFollow: { path: ['node_modules', '/dist/'] },
    exclude: { path: '(^|/)(coverage|\\.turbo)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.mjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
