/**
 * Which tree-sitter grammar parses which file, and which node types of each grammar are declarations (functions,
 * methods, classes, …) — the units that structure-aware placement maps and the syntax gate keeps intact.
 */

export type LangId = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust' | 'java' | 'c-sharp' | 'css';

/** The runtime and grammar files loadSyntax asks its loader for (they ship next to dist/core.js and dist/extension.js). */
export const RUNTIME_WASM = 'tree-sitter.wasm';
export const LANGUAGES: readonly LangId[] = ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java', 'c-sharp', 'css'];
export const grammarFile = (lang: LangId): string => `tree-sitter-${lang}.wasm`;
export const WASM_FILES: readonly string[] = [RUNTIME_WASM, ...LANGUAGES.map(grammarFile)];

const BY_EXTENSION: Readonly<Record<string, LangId>> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  py: 'python', pyi: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  cs: 'c-sharp',
  css: 'css',
};

const BY_FENCE: Readonly<Record<string, LangId>> = {
  typescript: 'typescript', ts: 'typescript', tsx: 'tsx', javascript: 'javascript', js: 'javascript', jsx: 'javascript',
  python: 'python', py: 'python', go: 'go', golang: 'go', rust: 'rust', rs: 'rust', java: 'java', csharp: 'c-sharp',
  cs: 'c-sharp', 'c#': 'c-sharp', css: 'css',
};

/** Only the file's own extension decides (the answer's fence language may be wrong). */
export function langForPath(path: string | undefined): LangId | undefined {
  const m = path ? /\.([A-Za-z0-9]+)$/.exec(path) : null;
  return m ? BY_EXTENSION[m[1].toLowerCase()] : undefined;
}

export function langForFence(lang: string): LangId | undefined {
  return BY_FENCE[lang.toLowerCase()];
}

/** Kinds compared when mapping declarations: a function in a block may be a method in the file. */
export type DeclKind = 'fn' | 'type' | 'impl' | 'ns' | 'field';

const KINDS: Readonly<Record<string, DeclKind>> = {
  // functions and methods
  function_declaration: 'fn', generator_function_declaration: 'fn', method_definition: 'fn', method_signature: 'fn',
  abstract_method_signature: 'fn', function_signature: 'fn', function_definition: 'fn', method_declaration: 'fn',
  function_item: 'fn', function_signature_item: 'fn', constructor_declaration: 'fn', local_function_statement: 'fn',
  operator_declaration: 'fn', destructor_declaration: 'fn',
  // types
  class_declaration: 'type', abstract_class_declaration: 'type', interface_declaration: 'type', enum_declaration: 'type',
  type_alias_declaration: 'type', class_definition: 'type', type_spec: 'type', struct_item: 'type', enum_item: 'type',
  trait_item: 'type', union_item: 'type', type_item: 'type', record_declaration: 'type', struct_declaration: 'type',
  annotation_type_declaration: 'type', record_struct_declaration: 'type', delegate_declaration: 'type',
  // containers of other kinds
  impl_item: 'impl',
  internal_module: 'ns', module: 'ns', mod_item: 'ns', namespace_declaration: 'ns', file_scoped_namespace_declaration: 'ns',
  // members that are not functions
  public_field_definition: 'field', field_definition: 'field', field_declaration: 'field', property_declaration: 'field',
  event_field_declaration: 'field', const_item: 'field', static_item: 'field',
};

export function declKind(nodeType: string): DeclKind | undefined {
  return KINDS[nodeType];
}

/** Node types that only wrap a declaration (their extent is the declaration's extent). */
export const WRAPPERS: ReadonlySet<string> = new Set(['export_statement', 'decorated_definition', 'type_declaration', 'ambient_declaration']);

/** `const f = () => …` / `const f = function …`: a function by another name. */
export const FUNCTION_VALUES: ReadonlySet<string> = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);

/** Lines that belong to a declaration's head: doc comments, decorators, attributes, annotations. */
export function isPrefixLine(line: string, lang: LangId): boolean {
  const t = line.trim();
  if (!t) return false;
  if (/^(\/\/|\/\*|\*)/.test(t)) return true;
  if (lang === 'python') return t.startsWith('#') || t.startsWith('@');
  if (lang === 'rust') return /^#!?\[/.test(t);
  if (lang === 'c-sharp') return /^\[[A-Za-z_][\w.]*(\(.*\))?(\s*,\s*[A-Za-z_][\w.]*(\(.*\))?)*\]$/.test(t) || /^\[(assembly|return|method|type|field|property|param):/.test(t);
  return /^@[A-Za-z_]/.test(t) && !/[{;]\s*$/.test(t);
}
