/**
 * Asks the Hugging Face hub (or a mirror / test endpoint) what a URI points at, with a short timeout: this is also
 * the reachability probe, so an offline machine fails in seconds instead of waiting on the downloader's retries.
 */
import { hfManifestUrl, hfTreeUrl, parseHfUri, type HfUri } from '../../core/models/hf-uri';
import { isSha256 } from '../../core/models/records';
import { isFiniteNumber, isObject, isString } from '../../core/protocol/validate';
import type { DownloadError } from '../../core/protocol/download';
import { errorMessage } from '../../core/result';

export type HfFileUri = Extract<HfUri, { kind: 'file' }>;

export interface HubFile {
  readonly file: HfFileUri;
  /** Exact size as the hub lists it. */
  readonly totalBytes: number;
  /** The LFS oid (sha256 of the content), when the hub reports one. */
  readonly sha256?: string;
}

export class DownloadFailure extends Error {
  constructor(readonly error: DownloadError) {
    super(error.message);
  }
}

const RETRY_HINT = 'Check your internet connection (or proxy), then try again; a started download resumes where it stopped.';

async function getJson(url: string, timeoutMs: number, signal: AbortSignal, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const host = new URL(url).host;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
  } catch (e) {
    if (signal.aborted) throw new DownloadFailure({ code: 'CANCELLED', message: 'Download cancelled.' });
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : errorMessage(e);
    throw new DownloadFailure({
      code: 'OFFLINE',
      message: timedOut ? `${host} did not answer within ${Math.round(timeoutMs / 1000)} s. ${RETRY_HINT}` : `Cannot reach ${host} (${cause}). ${RETRY_HINT}`,
    });
  }
  let body: unknown;
  try {
    body = response.ok ? await response.json() : undefined;
  } catch {
    throw new DownloadFailure({ code: 'NOT_FOUND', message: `${host} sent an unreadable answer for ${url}. Is the Hugging Face endpoint right?` });
  }
  return { status: response.status, body };
}

function statusFailure(status: number, what: string): DownloadFailure {
  if (status === 401 || status === 403) return new DownloadFailure({ code: 'NOT_FOUND', message: `${what} is private or gated (HTTP ${status}); Ponder downloads public models only. Choose a catalogue model or download the file yourself and use "Use a local .gguf file…".` });
  if (status === 404 || status === 400) return new DownloadFailure({ code: 'NOT_FOUND', message: `${what} does not exist on the hub (HTTP ${status}). Check the spelling of the repository and file.` });
  return new DownloadFailure({ code: 'OFFLINE', message: `The hub failed to answer for ${what} (HTTP ${status}). ${RETRY_HINT}` });
}

/** A quantization URI → the file the hub's manifest names for it. */
async function resolveQuant(uri: Extract<HfUri, { kind: 'quant' }>, endpoint: string, timeoutMs: number, signal: AbortSignal): Promise<HfFileUri> {
  const what = `${uri.tag === 'latest' ? 'The default quantization' : `Quantization ${uri.tag}`} of ${uri.user}/${uri.repo}`;
  // llama.cpp's user agent makes the hub include `ggufFile` in the manifest.
  const r = await getJson(hfManifestUrl(endpoint, uri.user, uri.repo, uri.tag), timeoutMs, signal, { 'user-agent': 'llama-cpp' });
  if (r.status !== 200) throw statusFailure(r.status, what);
  const name = isObject(r.body) && isObject(r.body.ggufFile) && isString(r.body.ggufFile.rfilename) ? r.body.ggufFile.rfilename : undefined;
  if (!name) throw new DownloadFailure({ code: 'NOT_FOUND', message: `${what} has no GGUF file the hub can name. Use a direct file URI: hf:${uri.user}/${uri.repo}/<file>.gguf.` });
  const file = parseHfUri(`hf:${uri.user}/${uri.repo}/${name}`);
  if (!file.ok || file.value.kind !== 'file') throw new DownloadFailure({ code: 'INVALID_URI', message: file.ok ? `Unexpected manifest for ${uri.uri}.` : file.error });
  return file.value;
}

/** Size and sha256 of one file, from the listing of its folder. */
async function describeFile(file: HfFileUri, endpoint: string, timeoutMs: number, signal: AbortSignal): Promise<HubFile> {
  const folder = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '';
  const r = await getJson(hfTreeUrl(endpoint, file.user, file.repo, file.revision, folder), timeoutMs, signal);
  if (r.status !== 200) throw statusFailure(r.status, `${file.user}/${file.repo}${file.revision === 'main' ? '' : `@${file.revision}`}`);
  const entries = Array.isArray(r.body) ? r.body : [];
  const entry = entries.find((e): e is Record<string, unknown> => isObject(e) && e.path === file.path && e.type === 'file');
  if (!entry) throw new DownloadFailure({ code: 'NOT_FOUND', message: `${file.user}/${file.repo} has no file ${file.path}. Check the file name (and quantization) on the model’s page.` });
  const lfs = isObject(entry.lfs) ? entry.lfs : undefined;
  const size = lfs && isFiniteNumber(lfs.size) ? lfs.size : entry.size;
  if (!isFiniteNumber(size) || size <= 0) throw new DownloadFailure({ code: 'NOT_FOUND', message: `The hub lists no size for ${file.path}.` });
  return { file, totalBytes: size, sha256: lfs && isSha256(lfs.oid) ? lfs.oid : undefined };
}

export async function resolveOnHub(uri: HfUri, endpoint: string, timeoutMs: number, signal: AbortSignal): Promise<HubFile> {
  const file = uri.kind === 'quant' ? await resolveQuant(uri, endpoint, timeoutMs, signal) : uri;
  return describeFile(file, endpoint, timeoutMs, signal);
}
