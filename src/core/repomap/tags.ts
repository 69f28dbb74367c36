/**
 * Turns what a tree-sitter query found in one file (definition nodes and identifier uses, as plain offsets) into
 * the file's tags: definitions with their one-line signatures and containers, and how often each name is used.
 * The parser itself stays outside core; this part is pure so it is testable without a grammar.
 */
import type { Definition, DefinitionKind, FileTags } from './types';

/** A definition capture: the whole declaration node and its name (UTF-16 offsets into the source). */
export interface RawDefinition {
  readonly name: string;
  readonly kind: DefinitionKind;
  readonly start: number;
  readonly end: number;
  readonly nameStart: number;
  /** Where the body starts (`{`, `:` block, …); the signature stops there. */
  readonly bodyStart?: number;
}

export interface RawReference {
  readonly name: string;
  readonly start: number;
}

const MAX_SIGNATURE = 200;
/** `i`, `ok`, `id`: too short to say which definition is meant (ranking ignores them; the cache need not keep them). */
export const MIN_REF_NAME = 3;
/** Far more would be generated tables rather than an API worth showing. */
const MAX_DEFS_PER_FILE = 1000;
const CONTAINERS: ReadonlySet<DefinitionKind> = new Set(['class', 'interface', 'module', 'enum']);
const CALLABLES: ReadonlySet<DefinitionKind> = new Set(['function', 'method']);

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The declaration up to its body, on one line: `export async function f(a: A): Promise<B>`. */
export function signatureOf(source: string, starts: readonly number[], d: RawDefinition): string {
  const line = lineOf(starts, d.start);
  const from = starts[line];
  const lineEnd = source.indexOf('\n', d.start);
  const firstLineEnd = lineEnd < 0 ? source.length : lineEnd;
  // A body far below (a long parameter list) is still fine; a missing body means the first line says enough.
  const to = d.bodyStart !== undefined && d.bodyStart > d.start && d.bodyStart - from <= 600 ? d.bodyStart : Math.min(firstLineEnd, d.end);
  let sig = source.slice(from, Math.max(to, Math.min(firstLineEnd, d.nameStart + d.name.length))).replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 2; i++) sig = sig.replace(/\s*(\{|=>|:|=|;)\s*$/, '');
  return sig.length > MAX_SIGNATURE ? `${sig.slice(0, MAX_SIGNATURE - 1)}…` : sig;
}

export function buildTags(source: string, rawDefs: readonly RawDefinition[], rawRefs: readonly RawReference[]): FileTags {
  const starts = lineStarts(source);
  const sorted = [...rawDefs].sort((a, b) => a.start - b.start || b.end - a.end);
  const defs: Definition[] = [];
  const stack: RawDefinition[] = [];
  const seen = new Set<string>();
  const nameStarts = new Set<number>();
  for (const d of sorted) {
    nameStarts.add(d.nameStart);
    while (stack.length && stack[stack.length - 1].end <= d.start) stack.pop();
    const parent = stack[stack.length - 1];
    stack.push(d);
    // Functions declared inside functions are locals, not part of the file's API.
    if (parent && CALLABLES.has(parent.kind)) continue;
    const line = lineOf(starts, d.nameStart);
    const key = `${d.name}\u0000${line}`;
    if (seen.has(key) || defs.length >= MAX_DEFS_PER_FILE) continue;
    seen.add(key);
    const kind: DefinitionKind = d.kind === 'function' && parent && CONTAINERS.has(parent.kind) ? 'method' : d.kind;
    defs.push({ name: d.name, kind, line, signature: signatureOf(source, starts, d), ...(parent && CONTAINERS.has(parent.kind) ? { container: parent.name } : {}) });
  }
  const counts = new Map<string, number>();
  for (const r of rawRefs) if (r.name.length >= MIN_REF_NAME && !nameStarts.has(r.start)) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  const refs = [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { defs, refs };
}
