/**
 * Lazy code: merging a model's code that elides unchanged parts ("// ... existing code ...", "# ... rest
 * unchanged ...", "... same ...") or that is only a fragment of the file, back into the original file.
 *
 * The model's lines are aligned to the file by unique-line anchors (align.ts). Between anchors:
 *  - a stretch with no elision is new text replacing the file's stretch (ordinary rewrite);
 *  - a stretch with elisions is split into runs C0 E1 C1 … Ek Ck: C0 replaces a prefix of the file's stretch,
 *    Ck a suffix, a middle run either rewrites a block it is anchored to by its first and last line or is an
 *    insertion, and every elision stands for the file lines between its neighbours. Never a deletion.
 *  - at the file's ends ("soft ends", for fragments) a stretch the model did not write is kept.
 * Runs are only attached to file lines they really match (equal lines, or an edited version of the same line:
 * a typo or added tokens); otherwise they are insertions. Blank lines around elisions are merged, not doubled.
 */
import { patienceAlign, type Pair } from './align';
import { applyIndent, inferIndent } from './indent';
import { explicitGap, fragmentEnd, Out } from './merge-runs';
import { hasWord, indentKey, indentWidth, isBlank, squash } from './text';
import type { Token } from './elision-marker';

export { isElisionLine, toTokens, hasElision, type Token } from './elision-marker';

export type EndKind = 'flush' | 'kept' | 'inserted' | 'replaced' | 'fragment' | 'explicit';

export type MergeResult =
  | { ok: true; lines: string[]; top: EndKind; bottom: EndKind; confidence: number }
  | { ok: false; reason: string; noOverlap: boolean };

function align(toks: readonly Token[], original: readonly string[], key: (s: string) => string): Pair[] {
  return patienceAlign(
    toks.map((t) => (t.elision ? null : key(t.text))),
    original.map(key),
  );
}

/**
 * Pairs of common lines (`}`, `return this;`, blanks) next to an elided stretch are only tentative: the alignment's
 * prefix/suffix extension happily glues a new method's closing lines onto the previous method. Hand them back to the
 * stretch (up to the nearest distinctive pair), where runs are placed as whole blocks.
 */
function releaseWeakPairs(pairs: Pair[], toks: readonly Token[], original: readonly string[], key: (s: string) => string): Pair[] {
  const count = (keys: readonly string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const oc = count(original.map(key));
  const rc = count(toks.filter((t) => !t.elision).map((t) => key(t.text)));
  const strong = (p: Pair) => !isBlank(original[p.o]) && oc.get(key(original[p.o])) === 1 && rc.get(key(original[p.o])) === 1;
  const contiguous = (a: Pair, b: Pair) => b.r === a.r + 1 && b.o === a.o + 1;
  const keep = pairs.map(() => true);
  const elidedGap = (i: number): boolean => {
    const from = i < 0 ? 0 : pairs[i].r + 1;
    const to = i + 1 < pairs.length ? pairs[i + 1].r : toks.length;
    return toks.slice(from, to).some((t) => t.elision);
  };
  for (let i = -1; i < pairs.length; i++) {
    if (!elidedGap(i)) continue;
    for (let j = i; j >= 0 && !strong(pairs[j]) && (j === i || contiguous(pairs[j], pairs[j + 1])); j--) keep[j] = false;
    for (let j = i + 1; j < pairs.length && !strong(pairs[j]) && (j === i + 1 || contiguous(pairs[j - 1], pairs[j])); j++) keep[j] = false;
  }
  // A chain of contiguous pairs with no distinctive line in it (a lone `}` matched to the file's last `}`) proves
  // nothing about where the code belongs.
  for (let s = 0; s < pairs.length; ) {
    let e = s + 1;
    while (e < pairs.length && contiguous(pairs[e - 1], pairs[e])) e++;
    if (!pairs.slice(s, e).some(strong)) for (let j = s; j < e; j++) keep[j] = false;
    s = e;
  }
  return pairs.filter((_, i) => keep[i]);
}

/**
 * No line in common: the elisions alone give the structure. The runs are placed as in any elided stretch (a run
 * attaches to file lines only by its edge lines; otherwise "// ... existing code ..." then code appends, code then
 * "// ... existing code ..." prepends). Without an elision there is nothing to go by.
 */
function withoutAnchors(original: readonly string[], toks: readonly Token[], reason = 'the code shares no line with the file'): MergeResult {
  if (!toks.some((t) => t.elision) || !toks.some((t) => !t.elision && !isBlank(t.text))) return { ok: false, noOverlap: true, reason };
  const out = new Out();
  explicitGap(out, toks, original);
  return { ok: true, lines: out.lines, top: 'explicit', bottom: 'explicit', confidence: 0.8 };
}

export function mergeWithOriginal(original: readonly string[], tokens: readonly Token[], opts: { softEnds: boolean }): MergeResult {
  let toks = tokens.slice();
  let confidence = 0.9;
  // A fragment needs real evidence of where it belongs: two matching lines with words in them, or its own first or
  // last line (a lone `return 1;` in the middle, or a `}`, is not evidence). A window (hard ends) may hang on braces.
  const substantive = (ps: Pair[]) => {
    if (!opts.softEnds) return ps.some((p) => !isBlank(original[p.o]));
    const worded = ps.filter((p) => hasWord(original[p.o]));
    const lines = toks.map((t, i) => (!t.elision && !isBlank(t.text) ? i : -1)).filter((i) => i >= 0);
    return worded.length >= 2 || worded.some((p) => p.r === lines[0] || p.r === lines[lines.length - 1]);
  };
  const worded = (ps: Pair[]) => ps.filter((p) => hasWord(original[p.o])).length;
  const anchored = (key: (s: string) => string) => releaseWeakPairs(align(toks, original, key), toks, original, key);
  let pairs = anchored(indentKey);
  const loose = anchored(squash);
  if (worded(loose) > worded(pairs)) {
    // More lines match once indentation is ignored: if the model shifted its whole code uniformly (a flush-left
    // fragment of an indented method, tabs for spaces), shift it back and align again. Any other difference in
    // indentation is the model's intent and is kept.
    const { transform, inconsistent } = inferIndent(loose.map((p) => [toks[p.r].text, original[p.o]] as const));
    if (transform.kind !== 'none' && !inconsistent) {
      toks = toks.map((t) => (t.elision ? t : { elision: false, text: applyIndent(t.text, transform) }));
      pairs = anchored(indentKey);
      confidence *= 0.95;
    }
  }
  if (!substantive(pairs)) return withoutAnchors(original, toks, substantive(loose) ? 'the code matches the file only with different indentation, and not by a uniform shift' : undefined);
  const first = pairs[0];
  const last = pairs[pairs.length - 1];
  const topT = toks.slice(0, first.r);
  const topP = original.slice(0, first.o);
  const botT = toks.slice(last.r + 1);
  const botP = original.slice(last.o + 1);
  const classify = (t: readonly Token[], p: readonly string[]): EndKind => {
    if (t.some((x) => x.elision)) return 'explicit';
    if (t.length === 0) return p.every(isBlank) ? 'flush' : opts.softEnds ? 'kept' : 'replaced';
    return p.length === 0 ? 'inserted' : 'replaced';
  };
  let top = classify(topT, topP);
  let bottom = classify(botT, botP);
  if (opts.softEnds) {
    // New text at an unanchored end is a rewrite of that end only if the model wrote about as much as it would replace
    // there; otherwise it is a fragment's edge (placed; the rest of the file is kept, never dropped). A model line
    // indented deeper than the file's first/last line cannot be the file's first/last line either.
    const edgeLine = (t: readonly Token[], last: boolean) => (last ? [...t].reverse() : t).find((x) => !x.elision && !isBlank(x.text))?.text;
    const edgeFile = (last: boolean) => (last ? [...original].reverse() : original).find((l) => !isBlank(l)) ?? '';
    const deeper = (line: string | undefined, fileLine: string) => line !== undefined && indentWidth(line) > indentWidth(fileLine);
    const count = (ls: readonly string[]) => ls.filter((l) => !isBlank(l)).length;
    const fragmentish = (kind: EndKind, t: readonly Token[], p: readonly string[], last: boolean) =>
      kind === 'replaced' && (count(p) > count(t.map((x) => x.text)) + 2 || deeper(edgeLine(toks, last), edgeFile(last)));
    if (fragmentish(top, topT, topP, false)) top = 'fragment';
    if (fragmentish(bottom, botT, botP, true)) bottom = 'fragment';
    // One end shows a fragment (kept or placed): then the other end is a fragment's edge too.
    if (top === 'replaced' && (bottom === 'kept' || bottom === 'fragment')) top = 'fragment';
    if (bottom === 'replaced' && (top === 'kept' || top === 'fragment')) bottom = 'fragment';
    if (top === 'replaced' && bottom === 'replaced') confidence *= 0.9;
  }

  const out = new Out();
  const emitEnd = (kind: EndKind, t: readonly Token[], p: readonly string[], isTop: boolean): void => {
    const c = t.map((x) => x.text);
    const anchor = isTop ? original[first.o] : original[last.o];
    if (kind === 'kept' || (kind === 'flush' && opts.softEnds)) out.elided(p);
    else if (kind === 'explicit') explicitGap(out, t, p, isTop ? undefined : anchor);
    else if (kind === 'fragment') fragmentEnd(out, c, p, isTop, anchor);
    else out.model(c);
  };
  emitEnd(top, topT, topP, true);
  let deleted = 0;
  let omitted: string | undefined;
  let omittedLines = 0;
  for (let i = 0; i < pairs.length; i++) {
    out.file([original[pairs[i].o]]);
    if (i + 1 === pairs.length) break;
    const t = toks.slice(pairs[i].r + 1, pairs[i + 1].r);
    const p = original.slice(pairs[i].o + 1, pairs[i + 1].o);
    if (t.some((x) => x.elision)) explicitGap(out, t, p, original[pairs[i].o]);
    else {
      out.model(t.map((x) => x.text));
      const n = t.length === 0 ? p.filter((l) => !isBlank(l)).length : 0;
      deleted += n;
      if (n >= 3 && !omitted) [omitted, omittedLines] = [JSON.stringify(p.find((l) => !isBlank(l))?.trim() ?? ''), n];
    }
  }
  emitEnd(bottom, botT, botP, false);
  if (out.failure) return { ok: false, noOverlap: false, reason: out.failure };
  if (omitted && [top, bottom].some((k) => k === 'kept' || k === 'fragment')) {
    return { ok: false, noOverlap: false, reason: `the code is a partial view of the file that also leaves out ${omitted} (${omittedLines} lines) without a placeholder; refusing to guess whether that is a deletion` };
  }
  if (deleted > 10 && deleted > original.length * 0.3) confidence *= 0.7;
  if (tokens.some((t) => t.elision)) confidence *= 0.95;
  return { ok: true, lines: out.lines, top, bottom, confidence };
}
