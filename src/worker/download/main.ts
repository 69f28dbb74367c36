/**
 * Downloader process entry (ESM, forked by the host for one job): downloads a model through node-llama-cpp's
 * downloader into `<folder>/.partial/`, verifies it, then moves it into `<folder>`; or reports RAM/VRAM.
 * It runs in its own process because that downloader can hang for minutes and ignore its abort signal:
 * the host kills this process if it does not stop when asked.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createModelDownloader, getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { parseHfUri } from '../../core/models/hf-uri';
import { PARTIAL_DIR, RECORD_SUFFIX, parseDownloadRecord, type DownloadRecord, type PartialRecord } from '../../core/models/records';
import { jobResult, parseHostToDownloader, type DownloadError, type DownloadParams, type DownloaderToHost, type DownloadPhase } from '../../core/protocol/download';
import { DownloadFailure, resolveOnHub, type HubFile } from './hub';
import { stripResumeTrailer } from './trailer';
import { verifyDownload } from './verify';
import { errorMessage } from '../../core/result';

const cancel = new AbortController();
let started = false;

function send(message: DownloaderToHost): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

const log = (level: 'info' | 'warn' | 'error', message: string) => void send({ type: 'download/log', level, message });

/** Throttled progress (≤ 4 a second) with the speed over the last few seconds. */
function progressReporter(phase: DownloadPhase, totalBytes: number, onSample?: (bytes: number) => void) {
  let lastSent = 0;
  const samples: { t: number; bytes: number }[] = [];
  return (bytes: number, force = false) => {
    const t = performance.now();
    samples.push({ t, bytes });
    while (samples.length > 2 && t - samples[0].t > 5000) samples.shift();
    onSample?.(bytes);
    if (!force && t - lastSent < 250) return;
    lastSent = t;
    const first = samples[0];
    const bytesPerSecond = t > first.t ? Math.max(0, ((bytes - first.bytes) / (t - first.t)) * 1000) : 0;
    void send({ type: 'download/progress', phase, downloadedBytes: bytes, totalBytes, bytesPerSecond });
  };
}

async function writeJson(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(value, null, 2));
  await rename(tmp, path);
}

/** The verified file is already in the folder (same source, same size): nothing to download. */
async function alreadyThere(finalPath: string, hub: HubFile): Promise<DownloadRecord | undefined> {
  try {
    const record = parseDownloadRecord(JSON.parse(await readFile(finalPath + RECORD_SUFFIX, 'utf8')));
    const size = (await stat(finalPath)).size;
    return record.ok && record.value.fileUri === hub.file.uri && size === hub.totalBytes ? record.value : undefined;
  } catch {
    return undefined;
  }
}

async function download(params: DownloadParams): Promise<void> {
  const uri = parseHfUri(params.uri);
  if (!uri.ok) throw new DownloadFailure({ code: 'INVALID_URI', message: `${uri.error}.` });
  const endpoint = params.endpoint || process.env.HF_ENDPOINT || process.env.MODEL_ENDPOINT || 'https://huggingface.co/';
  void send({ type: 'download/progress', phase: 'resolving', downloadedBytes: 0, totalBytes: 0, bytesPerSecond: 0 });
  const hub = await resolveOnHub(uri.value, endpoint, params.probeTimeoutMs ?? 8000, cancel.signal);
  const fileName = hub.file.fileName;
  await send({ type: 'download/resolved', fileName, totalBytes: hub.totalBytes, sha256: hub.sha256, fileUri: hub.file.uri });

  const finalPath = join(params.folder, fileName);
  const existing = await alreadyThere(finalPath, hub);
  if (existing) {
    await send(jobResult('download/start', { path: finalPath, record: existing }));
    return;
  }
  const partialDir = join(params.folder, PARTIAL_DIR);
  try {
    await mkdir(partialDir, { recursive: true });
  } catch (e) {
    throw new DownloadFailure({ code: 'DISK', message: `Cannot create the download folder ${params.folder} (${errorMessage(e)}). Choose another one in \`ponder.downloadFolder\`.` });
  }
  const partialPath = join(partialDir, fileName);
  const recordPath = partialPath + RECORD_SUFFIX;
  let downloaded = 0;
  const partial = (): PartialRecord => ({ uri: uri.value.uri, fileName, label: params.label, totalBytes: hub.totalBytes, downloadedBytes: downloaded, updatedAt: Date.now() });
  await writeJson(recordPath, partial());
  let recordWrittenAt = Date.now();
  let lastByteAt = Date.now();

  // No byte for stallTimeoutMs (e.g. the connection dropped and the downloader retries for minutes): give up, keep the part.
  const stallMs = params.stallTimeoutMs ?? 60_000;
  let stallTimer: NodeJS.Timeout | undefined;
  const stall = new Promise<never>((_, reject) => {
    stallTimer = setInterval(() => {
      if (Date.now() - lastByteAt < stallMs) return;
      reject(new DownloadFailure({ code: 'STALLED', message: `The download stalled: nothing arrived for ${Math.round(stallMs / 1000)} s. Check your connection, then download again: it resumes where it stopped.` }));
    }, Math.min(1000, stallMs));
  });

  const report = progressReporter('downloading', hub.totalBytes, (bytes) => {
    if (bytes > downloaded) lastByteAt = Date.now();
    downloaded = bytes;
    if (Date.now() - recordWrittenAt > 2000) {
      recordWrittenAt = Date.now();
      void writeJson(recordPath, partial()).catch(() => undefined);
    }
  });
  report(0, true);
  const job = (async () => {
    const downloader = await createModelDownloader({
      modelUri: hub.file.uri,
      dirPath: partialDir,
      fileName,
      endpoints: { huggingFace: endpoint },
      deleteTempFileOnCancel: false, // the part stays for a resume
      skipExisting: true, // a complete part (verification interrupted by a reload) is not fetched again
      parallelDownloads: 1,
      onProgress: (s) => report(s.downloadedSize),
    });
    if (cancel.signal.aborted) throw new DownloadFailure({ code: 'CANCELLED', message: 'Download cancelled.' });
    report(downloader.downloadedSize, true);
    await downloader.download({ signal: cancel.signal });
  })();
  job.catch(() => undefined); // if the stall wins, the job's later failure is not an unhandled rejection
  try {
    await Promise.race([job, stall]);
  } catch (e) {
    if (cancel.signal.aborted) throw new DownloadFailure({ code: 'CANCELLED', message: 'Download cancelled.' });
    throw e;
  } finally {
    clearInterval(stallTimer);
    await writeJson(recordPath, partial()).catch(() => undefined);
  }
  // Cancelling resolves with a path that does not exist.
  if (cancel.signal.aborted) throw new DownloadFailure({ code: 'CANCELLED', message: 'Download cancelled.' });
  report(hub.totalBytes, true);

  const hashReport = progressReporter('verifying', hub.totalBytes);
  let verified: DownloadRecord['verified'];
  try {
    if (await stripResumeTrailer(partialPath, hub.totalBytes)) log('warn', `Removed the downloader's leftover resume data from the end of ${fileName}.`);
    verified = await verifyDownload(partialPath, hub, hashReport);
  } catch (e) {
    // A file that fails verification is never kept, not even as a part to resume.
    await Promise.all([rm(partialPath, { force: true }), rm(recordPath, { force: true }), rm(`${partialPath}.ipull`, { force: true })]);
    throw e;
  }
  const record: DownloadRecord = { uri: uri.value.uri, fileUri: hub.file.uri, sizeBytes: hub.totalBytes, sha256: verified === 'sha256' ? hub.sha256 : undefined, verified, downloadedAt: Date.now() };
  await writeJson(finalPath + RECORD_SUFFIX, record);
  await rename(partialPath, finalPath);
  await rm(recordPath, { force: true });
  await send(jobResult('download/start', { path: finalPath, record }));
}

async function systemInfo(): Promise<void> {
  const llama = await getLlama({ build: 'never', progressLogs: false, logLevel: LlamaLogLevel.error, logger: () => undefined });
  const [ram, vram] = await Promise.all([llama.getRamState(), llama.getVramState()]);
  await send(jobResult('download/systemInfo', { totalRamBytes: ram.total, freeRamBytes: ram.free, gpu: llama.gpu, vramTotalBytes: vram.total, vramFreeBytes: vram.free, unifiedMemory: vram.unifiedSize > 0 }));
}

function toError(e: unknown): DownloadError {
  if (e instanceof DownloadFailure) return e.error;
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  const message = errorMessage(e);
  if (code === 'ENOSPC') return { code: 'DISK', message: `The disk is full. Free some space (or choose another \`ponder.downloadFolder\`), then download again: it resumes where it stopped.` };
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return { code: 'DISK', message: `Cannot write to the download folder (${code}). Choose another one in \`ponder.downloadFolder\`.` };
  return { code: 'INTERNAL', message: `The download failed: ${message}` };
}

async function finish(job: () => Promise<void>): Promise<void> {
  try {
    await job();
    process.exitCode = 0;
  } catch (e) {
    const error = toError(e);
    if (error.code === 'INTERNAL') log('error', e instanceof Error ? e.stack ?? e.message : String(e));
    await send({ type: 'download/failed', error });
    process.exitCode = 1;
  }
  // ipull may keep sockets or timers alive: this process does one job, so it ends here.
  process.exit();
}

process.on('message', (raw: unknown) => {
  const parsed = parseHostToDownloader(raw);
  if (!parsed.ok) {
    log('warn', `Dropped a malformed message: ${parsed.error}`);
    return;
  }
  const msg = parsed.value;
  if (msg.type === 'download/cancel') {
    cancel.abort();
    if (!started) process.exit(0);
    return;
  }
  if (started) return log('warn', `Ignored ${msg.type}: this process already has a job.`);
  started = true;
  void finish(msg.type === 'download/start' ? () => download(msg.params) : systemInfo);
});

// The host went away: stop (a partial download stays resumable).
process.on('disconnect', () => process.exit(0));
