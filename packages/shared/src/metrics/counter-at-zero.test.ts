import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { counterAtZero } from './counter-at-zero';

describe('counterAtZero', () => {
  it('exposes every combination of the given label values at 0, and counts on from there', async () => {
    const registry = new Registry();
    const counter = counterAtZero(
      new Counter({ name: 'runs_total', help: 'h', labelNames: ['kind', 'outcome'] as const, registers: [registry] }),
      { kind: ['full', 'incremental'], outcome: ['ok', 'failed'] },
    );
    counter.inc({ kind: 'full', outcome: 'ok' });
    const values = (await registry.getSingleMetric('runs_total')?.get())?.values.map((v) => [v.labels, v.value]);
    expect(values).toEqual([
      [{ kind: 'full', outcome: 'ok' }, 1],
      [{ kind: 'full', outcome: 'failed' }, 0],
      [{ kind: 'incremental', outcome: 'ok' }, 0],
      [{ kind: 'incremental', outcome: 'failed' }, 0],
    ]);
  });

  it('adds to the series already started when called again for other combinations', async () => {
    const registry = new Registry();
    const counter = new Counter({
      name: 'x_total',
      help: 'h',
      labelNames: ['state', 'outcome'] as const,
      registers: [registry],
    });
    counterAtZero(counter, { state: ['sync'], outcome: ['ok'] });
    counterAtZero(counter, { state: ['invalid'], outcome: ['invalid'] });
    expect(await registry.metrics()).toContain('x_total{state="invalid",outcome="invalid"} 0');
    expect(await registry.metrics()).toContain('x_total{state="sync",outcome="ok"} 0');
  });
});
