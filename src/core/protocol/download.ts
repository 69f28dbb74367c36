/**
 * Host ↔ downloader-process protocol. The downloader (dist/download.mjs) is forked for one job — a download or a
 * system-memory report — and killed if it does not stop when asked: node-llama-cpp's downloader can hang for
 * minutes on an unreachable file and ignores its abort signal, so it never runs inside the host or the engine.
 */
import type { DownloadRecord } from '../models/records';
import { parseDownloadRecord } from '../models/records';
import type { SystemMemory } from '../models/recommend';
import { fail, isFiniteNumber, isObject, isString, optional, type Result } from './validate';

export interface DownloadParams {
  /** hf: URI (any accepted spelling; the downloader validates it again). */
  readonly uri: string;
  /** Absolute download folder; the verified file lands here, partial data in its `.partial/`. */
  readonly folder: string;
  /** What the user calls it, kept in the partial record so a resume can be offered after a reload. */
  readonly label: string;
  /** Hugging Face endpoint (tests, mirrors); default $HF_ENDPOINT or https://huggingface.co/. */
  readonly endpoint?: string;
  /** How long the hub may take to answer the first request before the download fails as offline. */
  readonly probeTimeoutMs?: number;
  /** No byte received for this long → fail (the partial file stays, resumable). */
  readonly stallTimeoutMs?: number;
}

/** Host → downloader: start the one download this process is for. */
export interface StartMessage { readonly type: 'download/start'; readonly params: DownloadParams }
/** Host → downloader: report RAM/VRAM as node-llama-cpp sees it, then exit. */
export interface SystemInfoRequest { readonly type: 'download/systemInfo' }
/** Host → downloader: stop, keep the partial file for a resume, exit. */
export interface CancelMessage { readonly type: 'download/cancel' }

export type HostToDownloader = StartMessage | SystemInfoRequest | CancelMessage;

export type DownloadPhase = 'resolving' | 'downloading' | 'verifying';

/** Downloader → host: progress (a few per second at most). */
export interface ProgressMessage {
  readonly type: 'download/progress';
  readonly phase: DownloadPhase;
  readonly downloadedBytes: number;
  readonly totalBytes: number;
  readonly bytesPerSecond: number;
}
/** Downloader → host: the hub answered; the file, its real size and its sha256 (when the hub reports one). */
export interface ResolvedMessage { readonly type: 'download/resolved'; readonly fileName: string; readonly totalBytes: number; readonly sha256?: string; readonly fileUri: string }
/** Downloader → host: verified and moved into the download folder. */
export interface DoneMessage { readonly type: 'download/done'; readonly path: string; readonly record: DownloadRecord }

export type DownloadErrorCode =
  | 'INVALID_URI' | 'OFFLINE' | 'NOT_FOUND' | 'STALLED' | 'SIZE_MISMATCH' | 'HASH_MISMATCH' | 'NOT_GGUF' | 'DISK' | 'CANCELLED' | 'INTERNAL';

export interface DownloadError {
  readonly code: DownloadErrorCode;
  /** Names the problem and the fix; shown to the user as is. */
  readonly message: string;
}

/** Downloader → host: the job failed (a partial file is kept only for OFFLINE, STALLED and CANCELLED). */
export interface FailedMessage { readonly type: 'download/failed'; readonly error: DownloadError }
/** Downloader → host: reply to download/systemInfo. */
export interface SystemInfoMessage { readonly type: 'download/systemInfo'; readonly memory: SystemMemory }
/** Downloader → host: a line for the host's log. */
export interface DownloadLogMessage { readonly type: 'download/log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string }

export type DownloaderToHost = ProgressMessage | ResolvedMessage | DoneMessage | FailedMessage | SystemInfoMessage | DownloadLogMessage;

const ERROR_CODES: readonly DownloadErrorCode[] = ['INVALID_URI', 'OFFLINE', 'NOT_FOUND', 'STALLED', 'SIZE_MISMATCH', 'HASH_MISMATCH', 'NOT_GGUF', 'DISK', 'CANCELLED', 'INTERNAL'];
const isErrorCode = (v: unknown): v is DownloadErrorCode => ERROR_CODES.some((c) => c === v);
const nonNegative = (v: unknown): v is number => isFiniteNumber(v) && v >= 0;
const str = (v: unknown): string | undefined => (isString(v) ? v : undefined);
const num = (v: unknown): number | undefined => (isFiniteNumber(v) ? v : undefined);

/** Validates a message arriving at the downloader. */
export function parseHostToDownloader(m: unknown): Result<HostToDownloader> {
  if (!isObject(m) || !isString(m.type)) return fail('message needs a string type');
  switch (m.type) {
    case 'download/systemInfo':
    case 'download/cancel':
      return { ok: true, value: { type: m.type } };
    case 'download/start': {
      const p = m.params;
      if (!isObject(p) || !isString(p.uri) || !isString(p.folder) || p.folder === '' || !isString(p.label)) return fail('start needs uri, folder and label');
      if (!optional(p.endpoint, isString) || !optional(p.probeTimeoutMs, nonNegative) || !optional(p.stallTimeoutMs, nonNegative)) return fail('bad start options');
      return {
        ok: true,
        value: { type: m.type, params: { uri: p.uri, folder: p.folder, label: p.label, endpoint: str(p.endpoint), probeTimeoutMs: num(p.probeTimeoutMs), stallTimeoutMs: num(p.stallTimeoutMs) } },
      };
    }
    default:
      return fail(`unknown message type ${JSON.stringify(m.type)}`);
  }
}

/** Validates a message arriving at the host from the downloader. */
export function parseDownloaderMessage(m: unknown): Result<DownloaderToHost> {
  if (!isObject(m) || !isString(m.type)) return fail('message needs a string type');
  switch (m.type) {
    case 'download/progress':
      if ((m.phase !== 'resolving' && m.phase !== 'downloading' && m.phase !== 'verifying') || !nonNegative(m.downloadedBytes) || !nonNegative(m.totalBytes) || !nonNegative(m.bytesPerSecond)) return fail('bad progress');
      return { ok: true, value: { type: m.type, phase: m.phase, downloadedBytes: m.downloadedBytes, totalBytes: m.totalBytes, bytesPerSecond: m.bytesPerSecond } };
    case 'download/resolved':
      if (!isString(m.fileName) || !nonNegative(m.totalBytes) || !isString(m.fileUri) || !optional(m.sha256, isString)) return fail('bad resolved');
      return { ok: true, value: { type: m.type, fileName: m.fileName, totalBytes: m.totalBytes, fileUri: m.fileUri, sha256: str(m.sha256) } };
    case 'download/done': {
      if (!isString(m.path)) return fail('bad done');
      const record = parseDownloadRecord(m.record);
      return record.ok ? { ok: true, value: { type: m.type, path: m.path, record: record.value } } : record;
    }
    case 'download/failed':
      if (!isObject(m.error) || !isString(m.error.message) || !isErrorCode(m.error.code)) return fail('bad failure');
      return { ok: true, value: { type: m.type, error: { code: m.error.code, message: m.error.message } } };
    case 'download/systemInfo': {
      const mem = m.memory;
      if (!isObject(mem) || !nonNegative(mem.totalRamBytes) || !nonNegative(mem.freeRamBytes) || !nonNegative(mem.vramTotalBytes) || !nonNegative(mem.vramFreeBytes) || typeof mem.unifiedMemory !== 'boolean') return fail('bad systemInfo');
      if (mem.gpu !== false && !isString(mem.gpu)) return fail('bad systemInfo.gpu');
      return { ok: true, value: { type: m.type, memory: { totalRamBytes: mem.totalRamBytes, freeRamBytes: mem.freeRamBytes, gpu: mem.gpu, vramTotalBytes: mem.vramTotalBytes, vramFreeBytes: mem.vramFreeBytes, unifiedMemory: mem.unifiedMemory } } };
    }
    case 'download/log':
      if ((m.level !== 'info' && m.level !== 'warn' && m.level !== 'error') || !isString(m.message)) return fail('bad log');
      return { ok: true, value: { type: m.type, level: m.level, message: m.message } };
    default:
      return fail(`unknown message type ${JSON.stringify(m.type)}`);
  }
}
