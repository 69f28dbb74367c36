/**
 * Patience alignment of a model's code against the file: match common leading/trailing lines, then lines that occur
 * exactly once on both sides (longest increasing run of them), and recurse between those anchors. Elision markers
 * (`null` keys) never match, so they split the alignment. Own implementation rather than jsdiff's Myers diff:
 * an LCS happily matches a new method's `return this;` / `}` lines to some unrelated method, which is exactly what
 * turns a lazy edit into a silently wrong one; unique-line anchoring does not.
 */
export interface Pair {
  r: number;
  o: number;
}

/** Longest strictly increasing subsequence of `o` over items already sorted by `r`. */
function lis(items: readonly Pair[]): Pair[] {
  const tails: number[] = [];
  const prev = new Array<number>(items.length).fill(-1);
  for (let i = 0; i < items.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (items[tails[mid]].o < items[i].o) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out: Pair[] = [];
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) out.push(items[i]);
  return out.reverse();
}

export function patienceAlign(rKeys: ReadonlyArray<string | null>, oKeys: readonly string[]): Pair[] {
  const pairs: Pair[] = [];
  const stack: Array<[number, number, number, number]> = [[0, rKeys.length, 0, oKeys.length]];
  while (stack.length) {
    const top = stack.pop();
    if (!top) break;
    let [rLo, rHi, oLo, oHi] = top;
    while (rLo < rHi && oLo < oHi && rKeys[rLo] !== null && rKeys[rLo] === oKeys[oLo]) pairs.push({ r: rLo++, o: oLo++ });
    while (rLo < rHi && oLo < oHi && rKeys[rHi - 1] !== null && rKeys[rHi - 1] === oKeys[oHi - 1]) pairs.push({ r: --rHi, o: --oHi });
    if (rLo >= rHi || oLo >= oHi) continue;

    const rCount = new Map<string, number>();
    for (let i = rLo; i < rHi; i++) {
      const k = rKeys[i];
      if (k) rCount.set(k, (rCount.get(k) ?? 0) + 1);
    }
    const oSeen = new Map<string, number>(); // key -> index, or -1 when repeated
    for (let i = oLo; i < oHi; i++) {
      const k = oKeys[i];
      if (!k || !rCount.has(k)) continue;
      oSeen.set(k, oSeen.has(k) ? -1 : i);
    }
    const cands: Pair[] = [];
    for (let i = rLo; i < rHi; i++) {
      const k = rKeys[i];
      if (!k || rCount.get(k) !== 1) continue;
      const o = oSeen.get(k);
      if (o !== undefined && o >= 0) cands.push({ r: i, o });
    }
    const anchors = lis(cands);
    if (anchors.length === 0) continue;
    let pr = rLo;
    let po = oLo;
    for (const a of anchors) {
      stack.push([pr, a.r, po, a.o]);
      pairs.push(a);
      pr = a.r + 1;
      po = a.o + 1;
    }
    stack.push([pr, rHi, po, oHi]);
  }
  return pairs.sort((a, b) => a.r - b.r);
}
