/**
 * Parses a file with tree-sitter and runs its language's tag query: definitions (with where their body starts, so
 * the signature stops there) and identifier uses. The runtime and grammars load once per thread, from bytes a
 * loader supplies (the map's worker thread reads them from next to its bundle; tests from node_modules).
 */
import { Language, Parser, Query, type Node } from '@vscode/tree-sitter-wasm';
import { grammarFile, kindOfCapture, TAG_QUERIES, type Grammar } from '../../core/repomap/languages';
import { buildTags, type RawDefinition, type RawReference } from '../../core/repomap/tags';
import type { FileTags } from '../../core/repomap/types';

export interface WasmLoader {
  /** The bytes of `tree-sitter.wasm` or `tree-sitter-<grammar>.wasm`. */
  load(name: string): Promise<Uint8Array>;
}

/** How deep below a declaration its body may sit (`const f = () => {…}`: declaration → declarator → arrow → body). */
const BODY_DEPTH = 3;
const BODY_TYPES = new Set(['statement_block', 'class_body', 'interface_body', 'object_type', 'enum_body', 'block', 'field_declaration_list', 'declaration_list', 'enum_variant_list', 'field_declaration_list']);

function bodyStart(node: Node): number | undefined {
  let level: Node[] = [node];
  for (let depth = 0; depth < BODY_DEPTH && level.length; depth++) {
    const next: Node[] = [];
    for (const n of level) {
      const body = n.childForFieldName('body');
      if (body) return body.startIndex;
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (BODY_TYPES.has(c.type)) return c.startIndex;
        next.push(c);
      }
    }
    level = next;
  }
  return undefined;
}

export class Tagger {
  private readonly parsers = new Map<Grammar, Promise<{ parser: Parser; query: Query }>>();
  private runtime: Promise<void> | undefined;

  constructor(private readonly loader: WasmLoader) {}

  private grammar(g: Grammar): Promise<{ parser: Parser; query: Query }> {
    let p = this.parsers.get(g);
    if (!p) {
      // The typings only declare locateFile; wasmBinary is the documented Emscripten option that avoids a file lookup.
      this.runtime ??= this.loader.load('tree-sitter.wasm').then((wasmBinary) => Parser.init({ wasmBinary } as unknown as Parameters<typeof Parser.init>[0]));
      p = this.runtime.then(async () => {
        const language = await Language.load(await this.loader.load(grammarFile(g)));
        const parser = new Parser();
        parser.setLanguage(language);
        return { parser, query: new Query(language, TAG_QUERIES[g]) };
      });
      this.parsers.set(g, p);
    }
    return p;
  }

  async tag(g: Grammar, source: string): Promise<FileTags> {
    const { parser, query } = await this.grammar(g);
    const tree = parser.parse(source);
    if (!tree) return { defs: [], refs: [] };
    try {
      const defs: RawDefinition[] = [];
      const refs: RawReference[] = [];
      for (const m of query.matches(tree.rootNode)) {
        let def: Node | undefined;
        let kind: RawDefinition['kind'] | undefined;
        let name: Node | undefined;
        for (const c of m.captures) {
          if (c.name === 'ref') refs.push({ name: c.node.text, start: c.node.startIndex });
          else if (c.name === 'name') name = c.node;
          else {
            const k = kindOfCapture(c.name);
            if (k) [def, kind] = [c.node, k];
          }
        }
        // Type aliases and constants show their first line only (their "body" is the value).
        if (def && kind && name) defs.push({ name: name.text, kind, start: def.startIndex, end: def.endIndex, nameStart: name.startIndex, bodyStart: kind === 'type' || kind === 'constant' ? undefined : bodyStart(def) });
      }
      return buildTags(source, defs, refs);
    } finally {
      tree.delete();
    }
  }
}
