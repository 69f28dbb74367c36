/**
 * The edit engine as the host loads it on the first edit: its own bundle file (dist/edit-engine.js, see esbuild.mjs),
 * so activation neither compiles nor runs the parsers, markdown-it and placement code. The parser state (loadSyntax)
 * lives in that file only: the host reaches these functions through this module, never through ./index directly.
 */
export { applyModelEdit, prepareEdit, loadSyntax } from './index';
export { answerForBlock } from './answer-blocks';
