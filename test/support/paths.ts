/** Where tests find the repository and the shared corpus, whether compiled to out/ or elsewhere. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export function repoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'esbuild.mjs'))) return dir;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error('Cannot find the Ponder repository root (package.json + esbuild.mjs) above ' + __dirname);
}

/** ../shared/corpus next to the repository (CI always has it), or $PONDER_CORPUS. */
export function corpusDir(): string | undefined {
  const env = process.env.PONDER_CORPUS;
  const candidates = [env && (env.endsWith('.jsonl') ? path.dirname(env) : env), path.resolve(repoRoot(), '../shared/corpus'), '/work/shared/corpus'];
  return candidates.find((c): c is string => !!c && existsSync(path.join(c, 'r1_traces.jsonl')));
}
