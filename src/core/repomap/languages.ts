/**
 * Which files the map reads (by extension), which grammar parses them, and the tree-sitter queries that find their
 * definitions and identifier uses. Captures follow one convention for every language: `@def.<kind>` on the whole
 * declaration, `@name` on its name, `@ref` on an identifier use. (The tags.scm idea from Aider and GitHub's
 * code navigation; these queries are written for this project.)
 */
import type { DefinitionKind } from './types';

export type Grammar = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'java' | 'rust';

const BY_EXTENSION: Readonly<Record<string, Grammar>> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'tsx',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  py: 'python', pyi: 'python', go: 'go', java: 'java', rs: 'rust',
};

export const MAP_EXTENSIONS: readonly string[] = Object.keys(BY_EXTENSION);

export function grammarFor(path: string): Grammar | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

const KINDS: readonly DefinitionKind[] = ['function', 'method', 'class', 'interface', 'type', 'enum', 'module', 'constant'];
const KIND_BY_CAPTURE = new Map(KINDS.map((k) => [`def.${k}`, k]));

/** `def.function` → 'function'; anything else → undefined. */
export function kindOfCapture(capture: string): DefinitionKind | undefined {
  return KIND_BY_CAPTURE.get(capture);
}

const TS_COMMON = `
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(function_signature name: (identifier) @name) @def.function
(class_declaration name: (type_identifier) @name) @def.class
(abstract_class_declaration name: (type_identifier) @name) @def.class
(interface_declaration name: (type_identifier) @name) @def.interface
(type_alias_declaration name: (type_identifier) @name) @def.type
(enum_declaration name: (identifier) @name) @def.enum
(internal_module name: [(identifier) (nested_identifier)] @name) @def.module
(method_definition name: [(property_identifier) (private_property_identifier)] @name) @def.method
(method_signature name: (property_identifier) @name) @def.method
(abstract_method_signature name: (property_identifier) @name) @def.method
(program (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name)) @def.constant))
(program (lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)])) @def.function)
(program (lexical_declaration (variable_declarator name: (identifier) @name)) @def.constant (#match? @name "^[A-Z][A-Z0-9_]+$"))
(identifier) @ref
(type_identifier) @ref
(property_identifier) @ref
(shorthand_property_identifier) @ref
`;

const JS = `
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(class_declaration name: (identifier) @name) @def.class
(method_definition name: [(property_identifier) (private_property_identifier)] @name) @def.method
(program (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name)) @def.constant))
(program (lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)])) @def.function)
(program (lexical_declaration (variable_declarator name: (identifier) @name)) @def.constant (#match? @name "^[A-Z][A-Z0-9_]+$"))
(identifier) @ref
(property_identifier) @ref
(shorthand_property_identifier) @ref
`;

const PYTHON = `
(function_definition name: (identifier) @name) @def.function
(class_definition name: (identifier) @name) @def.class
(module (expression_statement (assignment left: (identifier) @name)) @def.constant (#match? @name "^[A-Z][A-Z0-9_]+$"))
(identifier) @ref
`;

const GO = `
(function_declaration name: (identifier) @name) @def.function
(method_declaration name: (field_identifier) @name) @def.method
(type_spec name: (type_identifier) @name type: (interface_type)) @def.interface
(type_spec name: (type_identifier) @name type: (struct_type)) @def.class
(type_spec name: (type_identifier) @name type: [(type_identifier) (qualified_type) (function_type) (map_type) (slice_type) (pointer_type) (generic_type) (channel_type) (array_type)]) @def.type
(source_file (const_declaration (const_spec name: (identifier) @name)) @def.constant)
(source_file (var_declaration (var_spec name: (identifier) @name)) @def.constant)
(identifier) @ref
(type_identifier) @ref
(field_identifier) @ref
`;

const JAVA = `
(class_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(record_declaration name: (identifier) @name) @def.class
(method_declaration name: (identifier) @name) @def.method
(constructor_declaration name: (identifier) @name) @def.method
(identifier) @ref
(type_identifier) @ref
`;

const RUST = `
(function_item name: (identifier) @name) @def.function
(function_signature_item name: (identifier) @name) @def.function
(struct_item name: (type_identifier) @name) @def.class
(enum_item name: (type_identifier) @name) @def.enum
(trait_item name: (type_identifier) @name) @def.interface
(type_item name: (type_identifier) @name) @def.type
(mod_item name: (identifier) @name) @def.module
(const_item name: (identifier) @name) @def.constant
(static_item name: (identifier) @name) @def.constant
(macro_definition name: (identifier) @name) @def.function
(identifier) @ref
(type_identifier) @ref
(field_identifier) @ref
`;

export const TAG_QUERIES: Readonly<Record<Grammar, string>> = {
  typescript: TS_COMMON, tsx: TS_COMMON, javascript: JS, python: PYTHON, go: GO, java: JAVA, rust: RUST,
};
