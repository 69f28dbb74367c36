/**
 * The environment the engine worker runs in: two process-wide settings that change how fast llama.cpp decodes and
 * loads, and can only be set before the process starts. Measured on a 2-core AMD EPYC (Zen 4), 1.5B-shaped Q4_K_M,
 * bare decode loop at depth 185 (bench/RESULTS.md, figure 1r):
 *
 * - One libuv thread (`UV_THREADPOOL_SIZE=1`). node-llama-cpp runs each llama_decode on a libuv pool thread; with
 *   Node's default 4, consecutive tokens run on different threads, and each thread that calls into ggml gets its own
 *   team of worker threads (OpenMP teams are per calling thread; ggml's own pool likewise), which then spin and
 *   compete for the 2 cores. One thread: 1.46x (20.0 -> 29.2 tok/s, prebuilt, 4 KB pages); with huge pages too the
 *   worker decodes at 1.13x llama-bench as llama.cpp builds it for this CPU, which decodes from one thread. The
 *   worker has nothing else for the pool to do while it decodes (file checks run before the model loads; downloads
 *   and the repository map live in other processes).
 * - Transparent huge pages (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, Linux, glibc ≥ 2.35; older ones ignore it).
 *   ggml's CPU buffers — the weights it repacks for the CPU (≈ 600 MB on a 1.5B Q4_K_M), the KV cache, the compute
 *   buffer — come from glibc's malloc in 4 KB pages unless malloc asks for huge ones; with it, 780 MB of them are in
 *   2 MB pages, RSS unchanged (2,021 vs 2,022 MB), decode 1.17x (20.0 -> 23.3 tok/s, prebuilt, Node's default pool),
 *   model load + context ≈ 0.7 s sooner. Effective where the kernel allows THP on request (`madvise` or `always`: most
 *   distributions' default).
 *
 * A glibc tunable the user set is left alone; PONDER_HUGE_PAGES=0 / PONDER_ONE_POOL_THREAD=0 turn them off.
 */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

type Env = Readonly<Record<string, string | undefined>>;

/** `env` with the worker's settings added: huge pages on Linux, one libuv pool thread everywhere. */
export function engineWorkerEnv(env: Env, platform: string): Env {
  const out: Record<string, string | undefined> = { ...env };
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (platform === 'linux' && env.PONDER_HUGE_PAGES !== '0' && !/(^|:)glibc\.malloc\.hugetlb=/.test(tunables)) {
    out.GLIBC_TUNABLES = tunables ? `${tunables}:${HUGE_PAGES_TUNABLE}` : HUGE_PAGES_TUNABLE;
  }
  // Always: a pool size inherited from the editor's own environment was not chosen for this process.
  if (env.PONDER_ONE_POOL_THREAD !== '0') out.UV_THREADPOOL_SIZE = '1';
  return out;
}
