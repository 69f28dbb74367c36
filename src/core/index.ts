/** Public surface of src/core as built into dist/core.js (benchmarks, external checks). */
export * from './protocol/engine';
export * from './protocol/panel';
export { ReasoningSplitter, splitReasoning, type SplitChunk, type SplitterOptions } from './reasoning/splitter';
export { applyModelEdit, prepareEdit, computeHunks, applyHunks, MIN_CONFIDENCE, PREFERRED_CONFIDENCE, WASM_FILES, type ApplyResult, type ApplyOptions, type WasmLoader } from './edits/index';
