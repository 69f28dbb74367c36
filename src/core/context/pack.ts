/**
 * Packs prompt sections into a token budget. Required sections are never cut; the others are kept whole, cut to
 * their first units (lines or items) with a visible marker, or left out and named in an "omitted" note — in priority
 * order, so the same input and budget always give the same prompt.
 */
import type { TokenCounter } from './types';

export interface Section {
  /** Stable id, e.g. "header", "diagnostics", "definition:Pair". */
  readonly id: string;
  /** Shown in truncation/omission notes, e.g. "definition of `Pair` (src/pair.ts)". */
  readonly label: string;
  /** Never cut; the pack fails if the required sections alone exceed the budget. */
  readonly required: boolean;
  /** Lower is kept first among optional sections; ties keep input order. */
  readonly priority: number;
  /** Number of units (lines or items) `render` can keep. */
  readonly units: number;
  /** Keeping fewer units than this is not worth it: the section is omitted instead. */
  readonly minUnits: number;
  /** The section's text with its first `keep` units; when keep < units it includes its own truncation marker. */
  render(keep: number): string;
}

export interface PackedPart {
  readonly id: string;
  readonly text: string;
}

export type PackResult =
  | {
      readonly ok: true;
      /** Kept sections in input order, each rendered. */
      readonly parts: readonly PackedPart[];
      /** "Left out to fit the context: …", or undefined when nothing was left out. */
      readonly omittedNote?: string;
      readonly tokens: number;
      readonly truncated: readonly string[];
      readonly omitted: readonly string[];
    }
  | { readonly ok: false; readonly reason: string; readonly requiredTokens: number };

/** The blank line that separates two sections in the prompt (its tokens count too). */
export const SECTION_SEPARATOR = '\n\n';

export function omittedNote(labels: readonly string[]): string | undefined {
  return labels.length ? `[Left out to fit the model's context: ${labels.join('; ')}.]` : undefined;
}

export function packSections(sections: readonly Section[], budget: number, count: TokenCounter): PackResult {
  const SEPARATOR = count(SECTION_SEPARATOR);
  const kept = new Map<string, string>();
  let used = 0;
  for (const s of sections) {
    if (!s.required) continue;
    const text = s.render(s.units);
    kept.set(s.id, text);
    used += count(text) + SEPARATOR;
  }
  if (used > budget) return { ok: false, reason: `needs ${used} tokens, more than the ${budget} available`, requiredTokens: used };

  const optional = sections.map((s, index) => ({ s, index })).filter(({ s }) => !s.required);
  optional.sort((a, b) => a.s.priority - b.s.priority || a.index - b.index);
  // The omitted note costs tokens too: reserve what the last pass left out, until that is stable (worst case: all).
  let reserve = 0;
  let pass = fillOptional(optional.map(({ s }) => s), budget - used, count);
  for (let i = 0; pass.omitted.length && i < 4; i++) {
    const need = count(omittedNote(pass.omitted) ?? '') + SEPARATOR;
    if (need <= reserve) break;
    reserve = i < 3 ? need : count(omittedNote(optional.map(({ s }) => s.label)) ?? '') + SEPARATOR;
    pass = fillOptional(optional.map(({ s }) => s), budget - used - reserve, count);
  }
  for (const [id, text] of pass.kept) kept.set(id, text);
  const { truncated, omitted } = pass;
  const note = omittedNote(omitted);
  const parts = sections.filter((s) => kept.has(s.id)).map((s) => ({ id: s.id, text: kept.get(s.id) ?? '' }));
  const tokens = parts.reduce((n, p) => n + count(p.text) + SEPARATOR, 0) + (note ? count(note) + SEPARATOR : 0);
  return { ok: true, parts, omittedNote: note, tokens, truncated, omitted };
}

function fillOptional(ordered: readonly Section[], room: number, count: TokenCounter): { kept: Map<string, string>; truncated: string[]; omitted: string[] } {
  const SEPARATOR = count(SECTION_SEPARATOR);
  const kept = new Map<string, string>();
  const truncated: string[] = [];
  const omitted: string[] = [];
  let remaining = room;
  for (const s of ordered) {
    const whole = s.render(s.units);
    const cost = count(whole) + SEPARATOR;
    if (cost <= remaining) {
      kept.set(s.id, whole);
      remaining -= cost;
      continue;
    }
    const keep = largestFitting(s, remaining - SEPARATOR, count);
    if (keep === undefined) {
      omitted.push(s.label);
      continue;
    }
    const text = s.render(keep);
    kept.set(s.id, text);
    remaining -= count(text) + SEPARATOR;
    truncated.push(s.label);
  }
  return { kept, truncated, omitted };
}

/** Binary search for the most units of `s` (at least minUnits, fewer than all) whose rendering fits `room`. */
function largestFitting(s: Section, room: number, count: TokenCounter): number | undefined {
  let lo = Math.max(1, s.minUnits);
  let hi = s.units - 1;
  if (lo > hi || count(s.render(lo)) > room) return undefined;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(s.render(mid)) <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
