/** The small map slice editor tasks (Fix, Edit, Explain, …) get after the definitions they already gathered. */
import { identifiersIn, type EditorContext } from '../../core/context';
import { taskSliceBudget } from '../../core/repomap';
import type { PonderContext } from '../context';

/** How long a task waits for a first build of the map; a larger workspace keeps building for the next request. */
const WAIT_FOR_FIRST_BUILD_MS = 2000;

export async function taskMapSlice(ctx: PonderContext, c: EditorContext): Promise<string | undefined> {
  const budget = taskSliceBudget(ctx.repoMapBudget());
  if (budget <= 0) return undefined;
  const shown = [c.path, ...c.definitions.filter((d) => d.inWorkspace).map((d) => d.path)];
  const focus = { files: [c.path], identifiers: identifiersIn(c.target.text, 40).map((i) => i.name) };
  const map = await ctx.repoMap.renderIfReady(focus, budget, [...new Set(shown)], WAIT_FOR_FIRST_BUILD_MS);
  return map?.text || undefined;
}
