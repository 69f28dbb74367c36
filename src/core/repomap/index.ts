/** Repository map: tags per file, ranking by references (personalised PageRank), rendering within a token budget. */
export type { Definition, DefinitionKind, FileTags, Focus, MapFile, RankedDefinition } from './types';
export { buildTags, signatureOf, type RawDefinition, type RawReference } from './tags';
export { rankDefinitions, rankGraph, buildGraph, pageRank, type RefGraph } from './rank';
export { renderMap, renderTop, MAP_TITLE, type RenderedMap, type RenderOptions } from './render';
export { grammarFor, MAP_EXTENSIONS, TAG_QUERIES, type Grammar } from './languages';
export { looksBinary, looksGenerated, looksMinified, skipReason, MAX_FILE_BYTES, type SkipReason } from './filter';
export { requestIdentifiers, mapBudget, taskSliceBudget } from './focus';
export { checkMapPath, normalizeMapPath, pathsNamedIn, type MapPathCheck } from './paths';
