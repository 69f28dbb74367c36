import type { Doc } from './text';
import type { Hunk } from './hunks';

export type EditFormat = 'block' | 'search-replace' | 'unified-diff' | 'whole-file';

export interface LineRange {
  /** 0-based, inclusive. */
  startLine: number;
  endLine: number;
}

export interface ApplyOptions {
  /** Workspace-relative path of the file being edited: selects its blocks when the answer names several files. */
  path?: string;
  /** Selection the answer's code block rewrites (0-based inclusive lines); also a location hint for SEARCH blocks. */
  range?: LineRange;
}

export type ApplyResult =
  /** `warnings`: what the placement had to assume (quoted lines, chosen positions); a warned edit is never applied unasked. */
  | { ok: true; text: string; format: EditFormat; confidence: number; warnings: string[] }
  | { ok: false; reason: string };

/** Internal result of one strategy, before the text is rebuilt. */
export type Outcome =
  | {
      ok: true;
      doc: Doc;
      format: EditFormat;
      confidence: number;
      /** What the placement had to assume, quoted for the user. */
      warnings?: string[];
      /** The answer is the entire new file (no placeholders, nothing placed): it may drop declarations, with a warning. */
      wholeRewrite?: boolean;
    }
  | { ok: false; reason: string };

/** Below this the edit is refused rather than offered. */
export const MIN_CONFIDENCE = 0.5;
/** At or above this (and without warnings) the editor offers the edit as the preferred action. */
export const PREFERRED_CONFIDENCE = 0.8;

export const fail = (reason: string): Outcome => ({ ok: false, reason });

/** 0-based line in the base text where the hunk's change starts (pure insertions: the line they go before). */
export function hunkLine(h: Hunk): number {
  return h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
}
