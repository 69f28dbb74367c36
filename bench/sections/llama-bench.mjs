// llama.cpp's own generation speed (llama-bench tg) on the same file and thread count: the ceiling for figure 1.
// Built by scripts/llama-cpp/build.mjs from the llama.cpp source node-llama-cpp bundles.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { binaryPath } from '../../scripts/llama-cpp/build.mjs';

export const llamaBenchAvailable = () => existsSync(binaryPath('llama-bench'));

/** Generation tokens/s: `n` tokens after `depth` tokens of context, `reps` repetitions (llama-bench reports the mean). */
export function llamaBenchTg({ modelPath, threads, n, depth, reps = 1 }) {
  const args = ['-m', modelPath, '-p', '0', '-n', String(n), '-d', String(depth), '-t', String(threads), '-r', String(reps), '-o', 'json'];
  const r = spawnSync(binaryPath('llama-bench'), args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`llama-bench exited ${r.status ?? r.signal}: ${(r.stderr ?? '').slice(-800)}`);
  const rows = JSON.parse(r.stdout);
  const tg = rows.find((x) => x.n_gen > 0);
  if (!tg) throw new Error('llama-bench: no generation result');
  return { tps: tg.avg_ts, stddev: tg.stddev_ts, samples: tg.samples_ts, n, depth, threads, build: `${tg.build_commit ?? ''} ${tg.cpu_info ?? ''}`.trim() };
}
