// Small helpers shared by the benchmark sections: statistics, formatting, repository paths.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const benchOut = path.join(repoRoot, 'bench', 'out');

export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export const max = (xs) => Math.max(...xs.filter(Number.isFinite));

/** Rounds to `d` decimals (JSON stays readable). */
export const round = (x, d = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

/** Chunks per second between the first and the last chunk: (n − 1) intervals over their span. */
export function rate(times) {
  if (times.length < 2) return NaN;
  return ((times.length - 1) * 1000) / (times[times.length - 1] - times[0]);
}

export function loadAvg() {
  return os.loadavg().map((x) => round(x, 2));
}

export const log = (msg) => console.log(`[bench] ${msg}`);

/**
 * Runs `a` and `b` `reps` times alternating their order (AB, BA, …) so slow drifts in machine load hit both alike;
 * `c`, if given, runs after each pair.
 */
export async function interleave(reps, a, b, c) {
  const out = { a: [], b: [], c: [] };
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      out.a.push(await a(i));
      out.b.push(await b(i));
    } else {
      out.b.push(await b(i));
      out.a.push(await a(i));
    }
    if (c) out.c.push(await c(i));
  }
  return out;
}
