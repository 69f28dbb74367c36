/** Data of the repository map: per-file tags (what a file defines and which names it uses), pure and serialisable. */

export type DefinitionKind = 'function' | 'method' | 'class' | 'interface' | 'type' | 'enum' | 'module' | 'constant';

export interface Definition {
  readonly name: string;
  readonly kind: DefinitionKind;
  /** 0-based line where the definition starts. */
  readonly line: number;
  /** The declaration without its body, whitespace collapsed, e.g. `export function withRetry<T>(fn: () => T): T`. */
  readonly signature: string;
  /** Name of the enclosing class/interface/module definition, if any. */
  readonly container?: string;
}

export interface FileTags {
  readonly defs: readonly Definition[];
  /** [identifier, uses in the file] pairs, sorted by name (definition names excluded). Pairs, not an object, so names like `__proto__` are plain data. */
  readonly refs: readonly (readonly [string, number])[];
}

export interface MapFile {
  /** Workspace-relative path with forward slashes: the path the map shows and answers refer to. */
  readonly path: string;
  readonly tags: FileTags;
}

/** What the current request is about: its files get rank first, its names are boosted. */
export interface Focus {
  /** Files of the request (active file, mentions), workspace-relative. */
  readonly files?: readonly string[];
  /** Names the request uses (words of the question, identifiers of the target). */
  readonly identifiers?: readonly string[];
}

export interface RankedDefinition {
  readonly path: string;
  readonly def: Definition;
  readonly rank: number;
}
