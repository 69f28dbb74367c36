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

/** What a finished download reports: the verified file in the download folder and its record. */
export interface DownloadDone {
  readonly path: string;
  readonly record: DownloadRecord;
}

/** A job's two parsers: the downloader's for the params, the host's for the result (both untrusted on arrival). */
export interface JobParsers<P, R> {
  readonly params: (raw: unknown) => Result<P>;
  readonly result: (raw: unknown) => Result<R>;
}

const job = <P, R>(params: (raw: unknown) => Result<P>, result: (raw: unknown) => Result<R>): JobParsers<P, R> => ({ params, result });

/**
 * The one table of jobs (request → result), as for the engine protocol: a process gets one job and answers it with
 * one `download/result` (or `download/failed`); types for both sides derive from here.
 */
export const DOWNLOAD_JOBS = {
  /** Host → downloader: download and verify one file; progress streams as `download/progress` / `download/resolved`. */
  'download/start': job(parseDownloadParams, parseDownloadDone),
  /** Host → downloader: report RAM/VRAM as node-llama-cpp sees it, then exit. */
  'download/systemInfo': job(noParams, parseSystemMemory),
};

type Jobs = typeof DOWNLOAD_JOBS;
export type DownloadJob = keyof Jobs;
export type JobParams<J extends DownloadJob> = Jobs[J] extends JobParsers<infer P, unknown> ? P : never;
export type JobResult<J extends DownloadJob> = Jobs[J] extends JobParsers<unknown, infer R> ? R : never;
const TYPED_JOBS: { readonly [J in DownloadJob]: JobParsers<JobParams<J>, JobResult<J>> } = DOWNLOAD_JOBS;
const isJob = (v: unknown): v is DownloadJob => isString(v) && Object.hasOwn(DOWNLOAD_JOBS, v);

/** Host → downloader: the one job this process is for. */
export type JobRequest<J extends DownloadJob = DownloadJob> = { [K in J]: { readonly type: K; readonly params: JobParams<K> } }[J];
/** Host → downloader: stop, keep the partial file for a resume, exit. */
export interface CancelMessage { readonly type: 'download/cancel' }

export type HostToDownloader = JobRequest | CancelMessage;

/** The host's check of a job's result on arrival. */
export function parseJobResult<J extends DownloadJob>(j: J, raw: unknown): Result<JobResult<J>> {
  return TYPED_JOBS[j].result(raw);
}

/** The downloader's answer to its job, typed by the job (the host checks it again on arrival). */
export function jobResult<J extends DownloadJob>(j: J, result: JobResult<J>): ResultMessage {
  return { type: 'download/result', job: j, result };
}

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
/** Downloader → host: the job's result (a DownloadDone, a SystemMemory); the host parses it with the job's parser. */
export interface ResultMessage { readonly type: 'download/result'; readonly job: DownloadJob; readonly result: unknown }

export type DownloadErrorCode =
  | 'INVALID_URI' | 'OFFLINE' | 'NOT_FOUND' | 'STALLED' | 'SIZE_MISMATCH' | 'HASH_MISMATCH' | 'NOT_GGUF' | 'DISK' | 'CANCELLED' | 'INTERNAL'
  /** Host only: the downloader's result did not pass its job's result parser (never sent by the downloader). */
  | 'MALFORMED_RESULT';

export interface DownloadError {
  readonly code: DownloadErrorCode;
  /** Names the problem and the fix; shown to the user as is. */
  readonly message: string;
}

/** Downloader → host: the job failed (a partial file is kept only for OFFLINE, STALLED and CANCELLED). */
export interface FailedMessage { readonly type: 'download/failed'; readonly error: DownloadError }
/** Downloader → host: a line for the host's log. */
export interface DownloadLogMessage { readonly type: 'download/log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string }

export type DownloaderToHost = ProgressMessage | ResolvedMessage | ResultMessage | FailedMessage | DownloadLogMessage;

const ERROR_CODES: readonly DownloadErrorCode[] = ['INVALID_URI', 'OFFLINE', 'NOT_FOUND', 'STALLED', 'SIZE_MISMATCH', 'HASH_MISMATCH', 'NOT_GGUF', 'DISK', 'CANCELLED', 'INTERNAL'];
const isErrorCode = (v: unknown): v is DownloadErrorCode => ERROR_CODES.some((c) => c === v);
const nonNegative = (v: unknown): v is number => isFiniteNumber(v) && v >= 0;
const str = (v: unknown): string | undefined => (isString(v) ? v : undefined);
const num = (v: unknown): number | undefined => (isFiniteNumber(v) ? v : undefined);

/** Validates a message arriving at the downloader. */
export function parseHostToDownloader(m: unknown): Result<HostToDownloader> {
  if (!isObject(m) || !isString(m.type)) return fail('message needs a string type');
  if (m.type === 'download/cancel') return { ok: true, value: { type: m.type } };
  if (!isJob(m.type)) return fail(`unknown message type ${JSON.stringify(m.type)}`);
  return parseJobRequest(m.type, m.params);
}

function parseJobRequest<J extends DownloadJob>(type: J, raw: unknown): Result<JobRequest<J>> {
  const params = TYPED_JOBS[type].params(raw);
  return params.ok ? { ok: true, value: request(type, params.value) } : params;
}

function request<J extends DownloadJob>(type: J, params: JobParams<J>): JobRequest<J> {
  return { type, params };
}

function noParams(): Result<Record<string, never>> {
  return { ok: true, value: {} };
}

function parseDownloadParams(p: unknown): Result<DownloadParams> {
  if (!isObject(p) || !isString(p.uri) || !isString(p.folder) || p.folder === '' || !isString(p.label)) return fail('start needs uri, folder and label');
  if (!optional(p.endpoint, isString) || !optional(p.probeTimeoutMs, nonNegative) || !optional(p.stallTimeoutMs, nonNegative)) return fail('bad start options');
  return { ok: true, value: { uri: p.uri, folder: p.folder, label: p.label, endpoint: str(p.endpoint), probeTimeoutMs: num(p.probeTimeoutMs), stallTimeoutMs: num(p.stallTimeoutMs) } };
}

function parseDownloadDone(v: unknown): Result<DownloadDone> {
  if (!isObject(v) || !isString(v.path) || v.path === '') return fail('path must be a non-empty string');
  const record = parseDownloadRecord(v.record);
  return record.ok ? { ok: true, value: { path: v.path, record: record.value } } : fail(`record: ${record.error}`);
}

function parseSystemMemory(mem: unknown): Result<SystemMemory> {
  if (!isObject(mem)) return fail('memory must be an object');
  for (const k of ['totalRamBytes', 'freeRamBytes', 'vramTotalBytes', 'vramFreeBytes']) if (!nonNegative(mem[k])) return fail(`${k} must be a number ≥ 0`);
  if (typeof mem.unifiedMemory !== 'boolean') return fail('unifiedMemory must be a boolean');
  if (mem.gpu !== false && !isString(mem.gpu)) return fail('gpu must be false or a string');
  const n = (k: string) => num(mem[k]) ?? 0;
  return { ok: true, value: { totalRamBytes: n('totalRamBytes'), freeRamBytes: n('freeRamBytes'), gpu: mem.gpu, vramTotalBytes: n('vramTotalBytes'), vramFreeBytes: n('vramFreeBytes'), unifiedMemory: mem.unifiedMemory } };
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
    case 'download/result':
      if (!isJob(m.job)) return fail('result needs a known job');
      return { ok: true, value: { type: m.type, job: m.job, result: m.result } };
    case 'download/failed':
      if (!isObject(m.error) || !isString(m.error.message) || !isErrorCode(m.error.code)) return fail('bad failure');
      return { ok: true, value: { type: m.type, error: { code: m.error.code, message: m.error.message } } };
    case 'download/log':
      if ((m.level !== 'info' && m.level !== 'warn' && m.level !== 'error') || !isString(m.message)) return fail('bad log');
      return { ok: true, value: { type: m.type, level: m.level, message: m.message } };
    default:
      return fail(`unknown message type ${JSON.stringify(m.type)}`);
  }
}
