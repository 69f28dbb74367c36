/** What a `ponder.model` value names: nothing, a catalogue entry, a Hugging Face URI, or a file path. */
import { catalogueFileName, catalogueUri, findCatalogue, type CatalogueChoice } from './catalogue';
import { looksLikeHfUri, parseHfUri, type HfUri } from './hf-uri';

export type ModelRef =
  | { readonly kind: 'none' }
  | { readonly kind: 'catalogue'; readonly choice: CatalogueChoice; readonly uri: string; readonly fileName: string }
  | { readonly kind: 'hf'; readonly uri: HfUri }
  | { readonly kind: 'invalid'; readonly error: string }
  | { readonly kind: 'path'; readonly path: string };

export function parseModelRef(raw: string): ModelRef {
  const text = raw.trim();
  if (!text) return { kind: 'none' };
  const choice = findCatalogue(text);
  if (choice) return { kind: 'catalogue', choice, uri: catalogueUri(choice.model, choice.file.quant), fileName: catalogueFileName(choice.model, choice.file.quant) };
  if (looksLikeHfUri(text)) {
    const uri = parseHfUri(text);
    return uri.ok ? { kind: 'hf', uri: uri.value } : { kind: 'invalid', error: uri.error };
  }
  return { kind: 'path', path: text };
}
