/**
 * The download folder's layout and the small JSON records kept next to model files. A model file sits in the folder
 * only once it was completely downloaded and verified; partial downloads live in `.partial/` until then.
 */
import { isFiniteNumber, isObject, isString, fail, type Result } from '../protocol/validate';

/** Sub-folder of the download folder holding unfinished downloads (resumable). */
export const PARTIAL_DIR = '.partial';
/** Suffix of the record file next to a model (`X.gguf` → `X.gguf.ponder.json`). */
export const RECORD_SUFFIX = '.ponder.json';

/** Next to a verified model file: where it came from and how it was checked. */
export interface DownloadRecord {
  /** Canonical hf: URI the file was downloaded from (a quantization URI when the user gave one). */
  readonly uri: string;
  /** The direct-file URI it resolved to. */
  readonly fileUri: string;
  readonly sizeBytes: number;
  /** sha256 of the file, when the hub reported one and it matched. */
  readonly sha256?: string;
  readonly verified: 'sha256' | 'size-and-header';
  readonly downloadedAt: number;
}

/** Next to a partial download in `.partial/`: what to resume. */
export interface PartialRecord {
  readonly uri: string;
  readonly fileName: string;
  readonly label: string;
  readonly totalBytes: number;
  readonly downloadedBytes: number;
  readonly updatedAt: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function parseDownloadRecord(v: unknown): Result<DownloadRecord> {
  if (!isObject(v) || !isString(v.uri) || !isString(v.fileUri) || !isFiniteNumber(v.sizeBytes) || !isFiniteNumber(v.downloadedAt)) return fail('bad download record');
  if (v.verified !== 'sha256' && v.verified !== 'size-and-header') return fail('bad download record: verified');
  if (v.sha256 !== undefined && !(isString(v.sha256) && SHA256.test(v.sha256))) return fail('bad download record: sha256');
  return { ok: true, value: { uri: v.uri, fileUri: v.fileUri, sizeBytes: v.sizeBytes, sha256: v.sha256, verified: v.verified, downloadedAt: v.downloadedAt } };
}

export function parsePartialRecord(v: unknown): Result<PartialRecord> {
  if (!isObject(v) || !isString(v.uri) || !isString(v.fileName) || !isString(v.label) || !isFiniteNumber(v.totalBytes) || !isFiniteNumber(v.downloadedBytes) || !isFiniteNumber(v.updatedAt)) {
    return fail('bad partial-download record');
  }
  if (!/^[^/\\]+\.gguf$/i.test(v.fileName)) return fail('bad partial-download record: fileName');
  return { ok: true, value: { uri: v.uri, fileName: v.fileName, label: v.label, totalBytes: v.totalBytes, downloadedBytes: v.downloadedBytes, updatedAt: v.updatedAt } };
}

export const isSha256 = (v: unknown): v is string => isString(v) && SHA256.test(v);
