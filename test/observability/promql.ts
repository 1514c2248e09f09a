import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const NOT_METRICS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/**
 * Metric names a PromQL expression selects (what a rename in code would silently break).
 * Strips strings, label matchers, grouping clauses and ranges, then keeps identifiers that are
 * not function calls or keywords.
 */
export function metricNames(expr: string): string[] {
  let s = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  s = s.replace(/\{[^}]*\}/g, ' ');
  s = s.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  s = s.replace(/\[[^\]]*\]/g, ' ');
  const names = new Set<string>();
  for (const m of s.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const index = m.index ?? 0;
    if (index > 0 && /[0-9.]/.test(s[index - 1] ?? '')) continue; // 1e3, 5m
    if (
      s
        .slice(index + m[0].length)
        .trimStart()
        .startsWith('(')
    )
      continue; // function or aggregation
    if (NOT_METRICS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names].sort();
}

export type DashboardQuery = { dashboard: string; panel: string; expr: string; raw: string };

type GrafanaDashboard = {
  title: string;
  templating?: { list?: { name: string; type: string; query?: string; current?: { value?: string } }[] };
  panels?: { title: string; targets?: { expr?: string }[] }[];
};

/**
 * Every PromQL target of the chart's dashboards, with Grafana's variables replaced the way
 * Grafana would: $__rate_interval/$__interval/$__range by the given window, constants by their value.
 */
export function dashboardQueries(dir: string, window: string): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const d = JSON.parse(readFileSync(join(dir, file), 'utf8')) as GrafanaDashboard;
    const vars = new Map<string, string>();
    for (const v of d.templating?.list ?? []) {
      if (v.type === 'constant' || v.type === 'custom') vars.set(v.name, String(v.current?.value ?? v.query ?? ''));
    }
    for (const panel of d.panels ?? []) {
      for (const target of panel.targets ?? []) {
        if (!target.expr) continue;
        let expr = target.expr.replace(/\$__(rate_interval|interval|range)\b/g, window);
        expr = expr.replace(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)\}?/g, (whole, name: string) => vars.get(name) ?? whole);
        out.push({ dashboard: d.title, panel: panel.title, expr, raw: target.expr });
      }
    }
  }
  return out;
}
