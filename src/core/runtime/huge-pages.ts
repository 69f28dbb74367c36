/**
 * Transparent huge pages for the engine worker on Linux. llama.cpp's CPU buffers — the weights ggml repacks for the
 * CPU (≈ 600 MB on a 1.5B Q4_K_M), the KV cache, the compute buffer — come from glibc's malloc in 4 KB pages unless
 * malloc is told to ask for huge pages (`madvise(MADV_HUGEPAGE)`), which the glibc tunable `glibc.malloc.hugetlb=1`
 * does (glibc ≥ 2.35; older ones ignore it). Measured on a 2-core AMD EPYC, 1.5B-shaped Q4_K_M (bench figures 1r
 * and 7): faster decoding and model loading (fewer page faults and TLB misses over ≈ 1 GB of buffers). Effective
 * where the kernel allows THP on request (`madvise` or `always`: most distributions' default); a tunable the user
 * set is left alone, and PONDER_HUGE_PAGES=0 turns it off.
 */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

/** The worker's environment: `env` with the huge-pages tunable added on Linux, unless GLIBC_TUNABLES already sets it. */
export function withHugePages(env: Readonly<Record<string, string | undefined>>, platform: string): Readonly<Record<string, string | undefined>> {
  if (platform !== 'linux') return env;
  if (env.PONDER_HUGE_PAGES === '0') return env;
  const current = env.GLIBC_TUNABLES ?? '';
  if (/(^|:)glibc\.malloc\.hugetlb=/.test(current)) return env;
  return { ...env, GLIBC_TUNABLES: current ? `${current}:${HUGE_PAGES_TUNABLE}` : HUGE_PAGES_TUNABLE };
}
