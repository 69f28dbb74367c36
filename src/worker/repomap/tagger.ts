/**
 * Parses a file with tree-sitter and runs its language's tag query: definitions (with where their body starts, so
 * the signature stops there) and identifier uses. The runtime and grammars are the edit engine's syntax layer
 * (src/core/edits/syntax/runtime.ts, the same wasm files in dist/tree-sitter/), loaded once in this thread from
 * bytes a loader supplies.
 */
import { Query, type Language, type Node } from '@vscode/tree-sitter-wasm';
import { loadSyntax, parseFresh } from '../../core/edits/syntax/runtime';
import type { WasmLoader } from '../../core/edits/syntax/runtime';
import { kindOfCapture, TAG_QUERIES, type Grammar } from '../../core/repomap/languages';
import { buildTags, type RawDefinition, type RawReference } from '../../core/repomap/tags';
import type { FileTags } from '../../core/repomap/types';

export type { WasmLoader };

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
  private readonly queries = new Map<Grammar, Query>();

  constructor(private readonly loader: WasmLoader) {}

  private query(g: Grammar, language: Language): Query {
    let q = this.queries.get(g);
    if (!q) this.queries.set(g, (q = new Query(language, TAG_QUERIES[g])));
    return q;
  }

  async tag(g: Grammar, source: string): Promise<FileTags> {
    await loadSyntax(this.loader, { languages: [g] });
    const tree = parseFresh(g, source);
    if (!tree) return { defs: [], refs: [] };
    try {
      const query = this.query(g, tree.language);
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
