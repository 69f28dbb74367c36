/** What a request is about, for personalising the map: the names its text spells out, and the map's budget. */

const STOP = new Set(('the and for are but not you all any can had her was one our out has him his how its may new now old see two who did get ' +
  'let put say she too use where what when which with this that from into have does then than them they will would should could about there their ' +
  'here after before other some such only also just like make code file files function functions class method add show find used uses using').split(' '));

/** Words of a question or target that could name a definition (`formatInvoice`, `retry_policy`, `Server`), in order, unique. */
export function requestIdentifiers(text: string, max = 40): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z_$][\w$]{2,}/g)) {
    const w = m[0];
    if (seen.has(w) || STOP.has(w.toLowerCase())) continue;
    seen.add(w);
    out.push(w);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * The map's token budget from `ponder.context.repoMapTokens`: a positive value as given, 0 = off, and the default
 * (-1, automatic) an eighth of the model's context, between 256 and 2048 tokens (1024 for an 8k context).
 */
export function mapBudget(setting: number, contextSize: number): number {
  if (setting === 0) return 0;
  if (setting > 0) return Math.floor(setting);
  return Math.max(256, Math.min(2048, Math.floor(contextSize / 8)));
}

/** The smaller slice editor tasks get (after the definitions already gathered; the packer cuts it first). */
export function taskSliceBudget(mapTokens: number): number {
  return Math.min(512, Math.floor(mapTokens / 2));
}
