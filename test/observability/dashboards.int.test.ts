import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueTopicPrefix } from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runHttpLoad } from './load';
import { PROMTOOL, type Prometheus, renderedRuleGroups, startPrometheus } from './prometheus';
import { dashboardQueries, metricNames } from './promql';
import { type Scenario, startScenario } from './scenario';
import { REPO_ROOT, type Stack, startStack } from './stack';

/**
 * Every PromQL expression of the chart's Grafana dashboards and alert rules, evaluated against a
 * real Prometheus scraping the locally running services under a small load: each must parse and
 * each metric it names must exist (a metric renamed in code fails here, not on a dashboard in
 * production); dashboard queries must also return data.
 */
const WINDOW = '1m';
const queries = dashboardQueries(join(REPO_ROOT, 'deploy/helm/dashboards'), WINDOW);
const ruleGroups = renderedRuleGroups(REPO_ROOT) as {
  name: string;
  rules: { alert?: string; record?: string; expr: string }[];
}[];
const alerts = ruleGroups.flatMap((g) =>
  g.rules.map((r) => ({ name: r.alert ?? r.record ?? '?', expr: String(r.expr) })),
);

let db: TestDatabase;
let stack: Stack;
let prom: Prometheus;
let scenario: Scenario;
let scenarioSummary = '';

beforeAll(async () => {
  db = await createTestDatabase();
  scenario = await startScenario();
  stack = await startStack({
    databaseUrl: db.url,
    kafkaBrokers: await kafkaBrokers(),
    topicPrefix: uniqueTopicPrefix(),
    googleOrigin: scenario.emulator.url,
  });
  prom = await startPrometheus(
    Object.values(stack.services).map((s) => ({ job: s.name, url: s.url })),
    ruleGroups,
  );
  // Load for long enough that rates have points and the 15 s consumer-lag poll has reported.
  const [sent, story] = await Promise.all([runHttpLoad(stack, 25_000), googleLoad(scenario, stack)]);
  scenarioSummary = `${sent} HTTP requests; ${story}`;
  await new Promise((r) => setTimeout(r, 3_000));
}, 240_000);

afterAll(async () => {
  await prom?.stop();
  await stack?.stop();
  await scenario?.stop();
  await db?.drop();
});

/** The Google side: connect an account, let its channel be created, edit in Google, book through the API. */
async function googleLoad(s: Scenario, running: Stack): Promise<string> {
  const story: string[] = [];
  try {
    await s.failNextWatch();
    const connectionId = await s.connect(running);
    story.push('connected');
    await s.waitForChannel();
    story.push('channel live');
    for (let i = 0; i < 5; i++) {
      await s.editInGoogle(`Edit ${i}`);
      story.push(`booking API ${await s.bookThroughApi(running, connectionId)}`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
    story.push('5 edits in Google');
    await s.revokeAndEdit();
    story.push('access revoked, edited again');
    // The revocation opens an incident; wait for the notifier's delivery attempt (Slack fallback).
    const notifier = running.services.notifier;
    for (let i = 0; i < 60 && notifier; i++) {
      if (/slack_deliveries_total\{[^}]*\} [1-9]/.test(await (await fetch(`${notifier.url}/metrics`)).text())) {
        story.push('incident sent to Slack');
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch (error) {
    story.push(`stopped: ${(error as Error).message}`);
  }
  return story.join(', ');
}

describe('dashboard and alert expressions', () => {
  it('promtool parses every dashboard and alert expression', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gcal-promtool-'));
    const file = join(dir, 'all.rules.yaml');
    writeFileSync(
      file,
      stringify({
        groups: [
          ...ruleGroups,
          { name: 'dashboards', rules: queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: q.expr })) },
        ],
      }),
    );
    const out = spawnSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(out.status, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain(`${queries.length + alerts.length} rules found`);
  });

  it('found the queries to check', () => {
    console.info(
      `[observability] ${queries.length} dashboard queries, ${alerts.length} alert rules; load: ${scenarioSummary}`,
    );
    expect(queries.length).toBeGreaterThanOrEqual(30);
    expect(alerts.length).toBeGreaterThanOrEqual(5);
  });

  it.each(['oauth', 'webhook-ingest', 'sync-core', 'renewer', 'notifier'])(
    'promtool check metrics: %s follows Prometheus naming',
    async (name) => {
      const service = stack.services[name];
      expect(service, `${name} is not running`).toBeDefined();
      const text = await (await fetch(`${service?.url}/metrics`)).text();
      const out = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      // prom-client's own default gauges (nodejs_active_*_total) are not ours to rename.
      const problems = `${out.stdout}${out.stderr}`
        .split('\n')
        .filter((line) => line.trim() && !line.startsWith('nodejs_'));
      expect(problems).toEqual([]);
    },
  );

  it.each(queries.map((q) => [`${q.dashboard} / ${q.panel}: ${q.raw}`, q] as const))('%s', async (_name, q) => {
    const res = await prom.query(q.expr);
    expect(res.status, res.error).toBe('success');
    const missing = [];
    for (const metric of metricNames(q.expr)) {
      const c = await prom.query(`count({__name__="${metric}"})`);
      if ((c.data?.result.length ?? 0) === 0) missing.push(metric);
    }
    expect(missing, `metrics with no series: ${missing.join(', ')}`).toEqual([]);
    expect(res.data?.result.length, `no data for ${q.expr}`).toBeGreaterThan(0);
  });

  it.each(alerts.map((a) => [`alert ${a.name}`, a] as const))('%s', async (_name, a) => {
    const res = await prom.query(a.expr);
    expect(res.status, res.error).toBe('success');
    const missing = [];
    for (const metric of metricNames(a.expr)) {
      const c = await prom.query(`count({__name__="${metric}"})`);
      if ((c.data?.result.length ?? 0) === 0) missing.push(metric);
    }
    expect(missing, `metrics with no series: ${missing.join(', ')}`).toEqual([]);
    const evaluated = (await prom.rules()).find((r) => r.name === a.name);
    expect(evaluated?.health, evaluated?.lastError).toBe('ok');
  });
});
