import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../e2e/free-port';

// Overridable so a machine with the tools elsewhere (or a newer build) can be used.
export const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? 'prometheus';
const CACHED_HELM = `${process.env.HOME}/.cache/gcal-sync/bin/helm`;
const HELM = process.env.HELM_BIN ?? (existsSync(CACHED_HELM) ? CACHED_HELM : 'helm');

export type PromResult = { status: string; error?: string; data?: { resultType: string; result: unknown[] } };

export type Prometheus = {
  url: string;
  query(expr: string): Promise<PromResult>;
  /** Rule groups as Prometheus evaluates them (health, lastError per rule). */
  rules(): Promise<{ name: string; health: string; lastError?: string; type: string }[]>;
  stop(): Promise<void>;
};

/**
 * Runs Debian's prometheus binary scraping the given targets every second, with the given rule
 * groups loaded (evaluated every second too).
 */
export async function startPrometheus(
  targets: { job: string; url: string }[],
  ruleGroups: unknown[] = [],
): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'gcal-prom-'));
  const port = await freePort();
  writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: ruleGroups }));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' },
      rule_files: [join(dir, 'rules.yaml')],
      scrape_configs: targets.map((t) => ({
        job_name: t.job,
        metrics_path: '/metrics',
        static_configs: [{ targets: [new URL(t.url).host] }],
      })),
    }),
  );
  const check = spawnSync(PROMTOOL, ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`promtool check config: ${check.stdout}${check.stderr}`);
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`prometheus not ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: expr }),
      });
      return (await res.json()) as PromResult;
    },
    async rules() {
      const res = (await (await fetch(`${url}/api/v1/rules`)).json()) as {
        data: { groups: { rules: { name: string; health: string; lastError?: string; type: string }[] }[] };
      };
      return res.data.groups.flatMap((g) => g.rules);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The chart's alert rule groups as `helm template` renders them (what ships, thresholds included). */
export function renderedRuleGroups(repoRoot: string): unknown[] {
  const helm = spawnSync(
    HELM,
    [
      'template',
      'gcal',
      join(repoRoot, 'deploy/helm'),
      '--kube-version',
      '1.31.0',
      '--api-versions',
      'monitoring.coreos.com/v1',
      '-f',
      join(repoRoot, 'deploy/helm/ci/values-ci.yaml'),
      '--show-only',
      'templates/monitoring.yaml',
    ],
    { encoding: 'utf8' },
  );
  if (helm.status !== 0) throw new Error(`helm template: ${helm.stderr}`);
  const { parseAllDocuments } = require('yaml') as typeof import('yaml');
  const rule = parseAllDocuments(helm.stdout)
    .map((d) => d.toJS() as { kind?: string; spec?: { groups: unknown[] } } | null)
    .find((d) => d?.kind === 'PrometheusRule');
  if (!rule?.spec) throw new Error('no PrometheusRule rendered');
  return rule.spec.groups;
}
