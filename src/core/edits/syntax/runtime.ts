/**
 * The tree-sitter runtime (@vscode/tree-sitter-wasm: Microsoft's prebuilt web-tree-sitter and the grammars VS Code
 * ships). Pure: the caller's loader supplies the wasm bytes (the host reads them with vscode.workspace.fs, dist/core.js
 * and tests from disk), so nothing here touches a file. Loading is async and happens once; parsing afterwards is
 * synchronous, which keeps applyModelEdit synchronous. Until loaded, parseText returns undefined and the edit engine
 * works line-based.
 */
import { Language, Parser, type Tree } from '@vscode/tree-sitter-wasm';
import { grammarFile, LANGUAGES, RUNTIME_WASM, type LangId } from './languages';

export interface WasmLoader {
  /** The bytes of a file named like `tree-sitter.wasm` / `tree-sitter-python.wasm`. */
  load(name: string): Promise<Uint8Array>;
}

export interface LoadOptions {
  /** Grammars to load (default: all shipped ones). Loading more later adds them. */
  languages?: readonly LangId[];
}

let runtime: Promise<void> | undefined;
const parsers = new Map<LangId, Parser>();
const pending = new Map<LangId, Promise<void>>();

/** Loads the runtime and grammars once; safe to call again (and concurrently). Rejects if a file cannot be read. */
export async function loadSyntax(loader: WasmLoader, options: LoadOptions = {}): Promise<void> {
  if (!runtime) {
    runtime = loader.load(RUNTIME_WASM).then((wasmBinary) => {
      // Emscripten module options: wasmBinary instead of fetching tree-sitter.wasm from next to the script.
      const moduleOptions = { wasmBinary, locateFile: (file: string) => file };
      return Parser.init(moduleOptions);
    });
    runtime.catch(() => (runtime = undefined));
  }
  await runtime;
  await Promise.all(
    (options.languages ?? LANGUAGES).map((lang) => {
      if (parsers.has(lang)) return Promise.resolve();
      let p = pending.get(lang);
      if (!p) {
        p = loader.load(grammarFile(lang)).then(async (bytes) => {
          const parser = new Parser();
          parser.setLanguage(await Language.load(bytes));
          parsers.set(lang, parser);
        });
        p.finally(() => pending.delete(lang)).catch(() => undefined);
        pending.set(lang, p);
      }
      return p;
    }),
  );
}

export function syntaxLoaded(lang: LangId): boolean {
  return parsers.has(lang);
}

/** Larger files are edited line-based: a parse is synchronous in the host and must stay well under a second. */
export const MAX_PARSE_CHARS = 2_000_000;

/** Original files parsed recently: the same file is usually edited several times in a row (and the bench repeats). */
const CACHE_SIZE = 4;
const cache: Array<{ lang: LangId; text: string; tree: Tree }> = [];

/** A full parse, cached by text. The tree belongs to the cache: do not delete it. */
export function parseText(lang: LangId, text: string): Tree | undefined {
  const parser = parsers.get(lang);
  if (!parser || text.length > MAX_PARSE_CHARS) return undefined;
  const hit = cache.findIndex((c) => c.lang === lang && c.text === text);
  if (hit >= 0) {
    const [c] = cache.splice(hit, 1);
    cache.unshift(c);
    return c.tree;
  }
  const tree = parser.parse(text);
  if (!tree) return undefined;
  cache.unshift({ lang, text, tree });
  while (cache.length > CACHE_SIZE) cache.pop()?.tree.delete();
  return tree;
}

/** A one-off parse (a code block, a wrapped fragment). The caller deletes the tree. */
export function parseFresh(lang: LangId, text: string): Tree | undefined {
  return text.length > MAX_PARSE_CHARS ? undefined : parsers.get(lang)?.parse(text) ?? undefined;
}

function pointAt(text: string, index: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/**
 * Parse `after` incrementally from the cached tree of `before` (one edit spanning everything that differs): a 10k-line
 * file re-parses in about a millisecond. The caller deletes the returned tree.
 */
export function parseEdited(lang: LangId, before: string, after: string): Tree | undefined {
  const parser = parsers.get(lang);
  const old = parseText(lang, before);
  if (!parser || !old || after.length > MAX_PARSE_CHARS) return undefined;
  let start = 0;
  const min = Math.min(before.length, after.length);
  while (start < min && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  const edited = old.copy();
  const startPosition = pointAt(before, start);
  edited.edit({ startIndex: start, oldEndIndex: endB, newEndIndex: endA, startPosition, oldEndPosition: pointAt(before, endB), newEndPosition: pointAt(after, endA) });
  const tree = parser.parse(after, edited) ?? undefined;
  edited.delete();
  return tree;
}
