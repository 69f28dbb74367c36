/**
 * Indentation repair: when the model's SEARCH (or context) lines match the file only after ignoring indentation,
 * infer how the model's indentation maps to the file's and apply the same mapping to the lines it adds, so the
 * replacement lands at the file's real indentation with its relative structure intact.
 */
import { indentOf, isBlank } from './text';

export type IndentTransform =
  | { kind: 'none' }
  | { kind: 'add'; prefix: string }
  | { kind: 'remove'; prefix: string }
  | { kind: 'retab'; unit: number; offset: number; toTabs: boolean }
  /** Spaces to spaces with another indent unit (the answer indents by 2 where the file indents by 4): width × ratio + offset. */
  | { kind: 'scale'; ratio: number; offset: number };

export interface InferredIndent {
  transform: IndentTransform;
  /** The pairs disagreed: no single mapping explains them (the lines are used as written). */
  inconsistent: boolean;
}

const NONE: IndentTransform = { kind: 'none' };

/** `pairs` are [model line, file line] that matched ignoring indentation. */
export function inferIndent(pairs: ReadonlyArray<readonly [string, string]>): InferredIndent {
  const ps = pairs.filter(([m, f]) => !isBlank(m) && !isBlank(f)).map(([m, f]) => [indentOf(m), indentOf(f)] as const);
  if (ps.length === 0 || ps.every(([m, f]) => m === f)) return { transform: NONE, inconsistent: false };

  // A one-space difference on a file indented by a single space is noise (stray whitespace), not structure.
  const minFile = ps.reduce((a, [, f]) => (f.length < a.length ? f : a), ps[0][1]);
  const structural = minFile.includes('\t') || minFile.length >= 2 || minFile.length === 0;

  if (ps.every(([m, f]) => f.endsWith(m))) {
    const prefix = ps[0][1].slice(0, ps[0][1].length - ps[0][0].length);
    if (ps.every(([m, f]) => f.slice(0, f.length - m.length) === prefix)) {
      return structural ? { transform: { kind: 'add', prefix }, inconsistent: false } : { transform: NONE, inconsistent: false };
    }
  }
  if (ps.every(([m, f]) => m.endsWith(f))) {
    const prefix = ps[0][0].slice(0, ps[0][0].length - ps[0][1].length);
    if (ps.every(([m, f]) => m.slice(0, m.length - f.length) === prefix)) return { transform: { kind: 'remove', prefix }, inconsistent: false };
  }
  const spaces = (s: string) => /^ *$/.test(s);
  const tabs = (s: string) => /^\t*$/.test(s);
  for (const toTabs of [true, false]) {
    const ok = ps.every(([m, f]) => (toTabs ? spaces(m) && tabs(f) : tabs(m) && spaces(f)));
    if (!ok) continue;
    for (const unit of [4, 2, 8, 3]) {
      // toTabs: fileTabs = modelSpaces / unit + offset; else fileSpaces = (modelTabs + offset) * unit
      const offsets = ps.map(([m, f]) => (toTabs ? f.length - m.length / unit : f.length / unit - m.length));
      if (offsets.every((o) => Number.isInteger(o) && o === offsets[0])) return { transform: { kind: 'retab', unit, offset: offsets[0], toTabs }, inconsistent: false };
    }
  }
  const scale = spaceScale(ps);
  if (scale) return { transform: scale, inconsistent: false };
  return { transform: NONE, inconsistent: true };
}

/**
 * All pairs are spaces and fit fileWidth = modelWidth × ratio + offset for one ratio other than 1 taken from two
 * pairs of different depth (2-space answer, 4-space file: ratio 2), with whole widths: the answer's indent unit differs.
 */
function spaceScale(ps: ReadonlyArray<readonly [string, string]>): IndentTransform | undefined {
  if (!ps.every(([m, f]) => /^ *$/.test(m) && /^ *$/.test(f))) return undefined;
  const w = ps.map(([m, f]) => [m.length, f.length] as const);
  const other = w.find(([m]) => m !== w[0][0]);
  if (!other) return undefined;
  const ratio = (other[1] - w[0][1]) / (other[0] - w[0][0]);
  const offset = w[0][1] - w[0][0] * ratio;
  // Only ratios between the common units (2, 4, 8 spaces): anything else is re-nesting, not another unit.
  if (![0.25, 0.5, 2, 4].includes(ratio) || !Number.isInteger(offset)) return undefined;
  if (!w.every(([m, f]) => m * ratio + offset === f)) return undefined;
  return { kind: 'scale', ratio, offset };
}

export function applyIndent(line: string, t: IndentTransform): string {
  if (t.kind === 'none' || isBlank(line)) return line;
  const ind = indentOf(line);
  const rest = line.slice(ind.length);
  switch (t.kind) {
    case 'add':
      return t.prefix + line;
    case 'remove': {
      if (ind.startsWith(t.prefix)) return ind.slice(t.prefix.length) + rest;
      return rest; // shallower than the common prefix: clamp at column 0
    }
    case 'scale':
      if (!/^ *$/.test(ind)) return line;
      return ' '.repeat(Math.max(0, Math.round(ind.length * t.ratio + t.offset))) + rest;
    case 'retab': {
      if (t.toTabs) {
        if (!/^ *$/.test(ind)) return line;
        const n = Math.max(0, Math.floor(ind.length / t.unit) + t.offset);
        return '\t'.repeat(n) + ' '.repeat(ind.length % t.unit) + rest;
      }
      if (!/^\t*$/.test(ind)) return line;
      return ' '.repeat(Math.max(0, (ind.length + t.offset) * t.unit)) + rest;
    }
  }
}

/** Shift a whole block so its shallowest line sits at `target` (used when a rewritten range came back dedented). */
export function reindentBlock(lines: readonly string[], target: string): string[] {
  const nonBlank = lines.filter((l) => !isBlank(l));
  if (nonBlank.length === 0) return lines.slice();
  const min = nonBlank.reduce((a, l) => (indentOf(l).length < a.length ? indentOf(l) : a), indentOf(nonBlank[0]));
  if (min === target) return lines.slice();
  if (min === '') return lines.map((l) => (isBlank(l) ? l : target + l));
  if (target.startsWith(min)) return lines.map((l) => (isBlank(l) ? l : target.slice(min.length) + l));
  return lines.slice();
}
