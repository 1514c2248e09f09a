import type { Counter } from 'prom-client';

/**
 * Starts a labelled counter at 0 for every combination of the given label values, so its series
 * exist from the first scrape: without them `rate()`/`increase()` miss the first increment (a
 * series that appears at 1 has no earlier sample to rise from) and dashboards show no data.
 * Only for labels whose values are a known, finite set (outcomes, kinds). Call it once per
 * group of combinations that can actually occur, not with every label crossed blindly.
 */
export function counterAtZero<T extends string>(
  counter: Counter<T>,
  values: { readonly [K in T]: readonly string[] },
): Counter<T> {
  let combinations: Partial<Record<T, string>>[] = [{}];
  for (const name of Object.keys(values) as T[]) {
    combinations = combinations.flatMap((labels) => values[name].map((value) => ({ ...labels, [name]: value })));
  }
  for (const labels of combinations) counter.inc(labels, 0);
  return counter;
}
