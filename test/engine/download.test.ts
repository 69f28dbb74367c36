/**
 * Model downloads through the real downloader process (dist/download.mjs → node-llama-cpp's downloader) against a
 * local mock of the Hugging Face endpoints serving a generated GGUF. No wall-clock assertions.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PARTIAL_DIR } from '../../src/core/models/records';
import type { ProgressMessage } from '../../src/core/protocol/download';
import { DownloadJobError, querySystemMemory, startDownload, type DownloadCallbacks } from '../../src/extension/models/download-client';
import { ModelStore } from '../../src/extension/models/store';
import { stripResumeTrailer } from '../../src/worker/download/trailer';
import { newClient } from '../support/engine';
import { sha256, startMockHub, type MockHub } from '../support/mock-hf';
import { scenarioModel } from '../support/models';
import { repoRoot } from '../support/paths';

const childPath = path.join(repoRoot(), 'dist', 'download.mjs');
const REPO = { user: 'unsloth', repo: 'DeepSeek-R1-Distill-Qwen-1.5B-GGUF' };
const FILE = 'DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf';
const CATALOGUE_URI = `hf:${REPO.user}/${REPO.repo}/${FILE}`;
/** Larger than node-llama-cpp's downloader's 5 MB resume unit, so a resume can be seen. */
const BIG_FILE = 'DeepSeek-R1-Distill-Qwen-1.5B-Q8_0.gguf';
const BIG_URI = `hf:${REPO.user}/${REPO.repo}/${BIG_FILE}`;
/** Bytes asked for with ranged GETs (the downloader's first, unranged GET only reads the headers). */
const rangedBytes = (requests: readonly string[]) => requests.map((q) => / bytes=(\d+)-(\d+)$/.exec(q)).reduce((n, m) => n + (m ? Number(m[2]) - Number(m[1]) + 1 : 0), 0);

describe('model downloads (downloader process, mock Hugging Face hub)', function () {
  this.timeout(60_000);
  let model: Buffer;
  let big: Buffer;
  let hub: MockHub;
  let folder: string;
  const logs: string[] = [];
  const options = { childPath, log: (level: string, m: string) => logs.push(`${level}: ${m}`), cancelGraceMs: 3000 };

  const download = (uri: string, callbacks: DownloadCallbacks = {}, extra: { endpoint?: string; probeTimeoutMs?: number } = {}) =>
    startDownload(options, { uri, folder, label: 'test model', endpoint: extra.endpoint ?? hub.url, probeTimeoutMs: extra.probeTimeoutMs }, callbacks);

  const failure = async (p: Promise<unknown>): Promise<DownloadJobError> => {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof DownloadJobError, `a DownloadJobError, got ${String(e)}`);
      return e;
    }
    assert.fail('the download should have failed');
  };

  /** Nothing of a rejected file is left anywhere a model could be offered from (or resumed). */
  const assertNothingOffered = async (fileName: string) => {
    const store = new ModelStore(folder);
    assert.deepEqual((await store.downloaded()).map((d) => d.fileName), []);
    assert.deepEqual((await store.partials()).map((p) => p.fileName), []);
    assert.ok(!existsSync(path.join(folder, fileName)));
    const partial = path.join(folder, PARTIAL_DIR);
    assert.deepEqual(existsSync(partial) ? readdirSync(partial).filter((n) => n.startsWith(fileName)) : [], []);
  };

  before(async () => {
    model = readFileSync((await scenarioModel('short')).path);
    const text = Buffer.from('This is not a model.\n'.repeat(4000));
    big = Buffer.concat([model, Buffer.alloc(12 * 1024 * 1024, 7)]); // a GGUF with trailing bytes: header and hash still check
    hub = await startMockHub([
      { ...REPO, files: [{ path: FILE, data: model }, { path: BIG_FILE, data: big }], quants: { Q4_K_M: FILE } },
      {
        user: 'test',
        repo: 'odd-GGUF',
        files: [
          { path: 'size-lie.gguf', data: model, listedSize: model.length + 4096 },
          { path: 'hash-lie.gguf', data: model, listedSha256: sha256(Buffer.from('something else')) },
          { path: 'no-lfs.gguf', data: model, listedSha256: null },
          { path: 'text.gguf', data: text },
          { path: 'sub/folder/nested.gguf', data: model },
        ],
      },
    ]);
  });
  after(async () => hub.close());
  beforeEach(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ponder-dl-'));
    hub.throttle(0);
    hub.requests.length = 0;
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  /** Resumes the big download at full speed: byte-identical, hash-verified, and only the missing part fetched. */
  async function resumeFully(): Promise<void> {
    hub.throttle(0);
    hub.requests.length = 0;
    const r = await download(BIG_URI).result;
    assert.ok(readFileSync(r.path).equals(big), 'the resumed file is byte-identical');
    assert.equal(r.record.verified, 'sha256');
    const fetched = rangedBytes(hub.requests);
    assert.ok(fetched > 0 && fetched < big.length, `resumed: fetched ${fetched} of ${big.length} bytes:\n${hub.requests.join('\n')}`);
  }

  it('downloads a catalogue file with progress, verifies its sha256, and only then puts it in the folder', async () => {
    const progress: ProgressMessage[] = [];
    let resolved: { totalBytes: number; sha256?: string } | undefined;
    hub.throttle(1_000_000);
    const r = await download(CATALOGUE_URI, { onProgress: (m) => progress.push(m), onResolved: (m) => (resolved = m) }).result;
    assert.equal(r.path, path.join(folder, FILE));
    assert.ok(readFileSync(r.path).equals(model), 'the file is byte-identical');
    assert.equal(r.record.verified, 'sha256');
    assert.equal(r.record.sha256, sha256(model));
    assert.equal(r.record.sizeBytes, model.length);
    assert.deepEqual(resolved && { totalBytes: resolved.totalBytes, sha256: resolved.sha256 }, { totalBytes: model.length, sha256: sha256(model) });
    const downloading = progress.filter((p) => p.phase === 'downloading');
    assert.equal(progress[0].phase, 'resolving');
    assert.ok(downloading.length >= 2, `several progress events (${downloading.length})`);
    assert.ok(downloading.every((p, i) => i === 0 || p.downloadedBytes >= downloading[i - 1].downloadedBytes), 'bytes never go back');
    assert.equal(downloading.at(-1)?.downloadedBytes, model.length);
    assert.ok(downloading.every((p) => p.totalBytes === model.length));
    assert.ok(downloading.some((p) => p.bytesPerSecond > 0), 'a speed is reported');
    assert.ok(progress.findIndex((p) => p.phase === 'verifying') > progress.findIndex((p) => p.phase === 'downloading'), 'verification comes after the download');
    const store = new ModelStore(folder);
    assert.deepEqual((await store.downloaded()).map((d) => [d.fileName, d.record?.verified, d.catalogue?.model.id]), [[FILE, 'sha256', 'qwen-1.5b']]);
    assert.deepEqual(await store.partials(), []);
    assert.deepEqual(readdirSync(path.join(folder, PARTIAL_DIR)), [], 'no partial data left');
  });

  it('the downloaded model loads in the engine', async () => {
    const r = await download(CATALOGUE_URI).result;
    const c = newClient();
    try {
      const status = await c.load({ kind: 'local', modelPath: r.path, threads: 1, contextSize: 2048 });
      assert.equal(status.state, 'ready');
    } finally {
      await c.dispose();
    }
  });

  it('resolves a quantization URI through the manifest and records both URIs', async () => {
    const r = await download(`hf:${REPO.user}/${REPO.repo}:q4_k_m`).result;
    assert.equal(path.basename(r.path), FILE);
    assert.equal(r.record.uri, `hf:${REPO.user}/${REPO.repo}:Q4_K_M`);
    assert.equal(r.record.fileUri, CATALOGUE_URI);
    assert.ok(hub.requests.some((q) => q.startsWith(`GET /v2/${REPO.user}/${REPO.repo}/manifests/Q4_K_M`)));
  });

  it('a file in a sub-folder of the repository, and one without LFS info (checked by size and header)', async () => {
    const nested = await download('hf:test/odd-GGUF/sub/folder/nested.gguf').result;
    assert.equal(nested.record.verified, 'sha256');
    assert.equal(path.basename(nested.path), 'nested.gguf');
    const plain = await download('hf:test/odd-GGUF/no-lfs.gguf').result;
    assert.equal(plain.record.verified, 'size-and-header');
    assert.equal(plain.record.sha256, undefined);
  });

  it('cancel keeps the part (listed as resumable, never as a model); the next download resumes with a ranged request', async () => {
    hub.throttle(2_000_000);
    const first = download(BIG_URI, {
      onProgress: (m) => {
        if (m.phase === 'downloading' && m.downloadedBytes >= 10.5 * 1024 * 1024) first.cancel();
      },
    });
    const e = await failure(first.result);
    assert.equal(e.code, 'CANCELLED');
    const store = new ModelStore(folder);
    assert.deepEqual(await store.downloaded(), [], 'a partial file is never offered');
    const partials = await store.partials();
    assert.equal(partials.length, 1);
    assert.equal(partials[0].fileName, BIG_FILE);
    assert.equal(partials[0].totalBytes, big.length);
    assert.ok(partials[0].downloadedBytes > 0 && partials[0].downloadedBytes < big.length, `part: ${partials[0].downloadedBytes}`);

    await resumeFully();
    assert.deepEqual(await store.partials(), []);
  });

  it('resumes after the host went away mid-download (a window reload)', async () => {
    hub.throttle(2_000_000);
    const child = fork(childPath, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    await new Promise<void>((resolve) => {
      child.on('message', (m: { type?: string; phase?: string; downloadedBytes?: number }) => {
        if (m.type === 'download/progress' && m.phase === 'downloading' && (m.downloadedBytes ?? 0) >= 10.5 * 1024 * 1024) resolve();
      });
      child.send({ type: 'download/start', params: { uri: BIG_URI, folder, label: 'reload test', endpoint: hub.url } });
    });
    child.disconnect(); // what the child sees when the extension host dies
    await exited;
    const store = new ModelStore(folder);
    assert.equal((await store.partials()).length, 1, 'the part survives');
    assert.deepEqual(await store.downloaded(), []);
    await resumeFully();
  });

  it('a transfer that stalls fails as STALLED and keeps its part for a resume', async () => {
    hub.throttle(-1);
    const e = await failure(startDownload(options, { uri: CATALOGUE_URI, folder, label: 'stall', endpoint: hub.url, stallTimeoutMs: 1500 }).result);
    assert.equal(e.code, 'STALLED');
    assert.match(e.message, /resumes where it stopped/);
    assert.deepEqual((await new ModelStore(folder).partials()).map((p) => p.fileName), [FILE]);
    assert.deepEqual(await new ModelStore(folder).downloaded(), []);
  });

  it('rejects a size mismatch: the file is deleted and not offered', async () => {
    const e = await failure(download('hf:test/odd-GGUF/size-lie.gguf').result);
    assert.equal(e.code, 'SIZE_MISMATCH');
    assert.match(e.message, /hub lists/);
    await assertNothingOffered('size-lie.gguf');
  });

  it('rejects a sha256 mismatch: the file is deleted and not offered', async () => {
    const e = await failure(download('hf:test/odd-GGUF/hash-lie.gguf').result);
    assert.equal(e.code, 'HASH_MISMATCH');
    assert.match(e.message, /sha256/);
    await assertNothingOffered('hash-lie.gguf');
  });

  it('rejects a file that is not GGUF even when size and hash match', async () => {
    const e = await failure(download('hf:test/odd-GGUF/text.gguf').result);
    assert.equal(e.code, 'NOT_GGUF');
    await assertNothingOffered('text.gguf');
  });

  it('an unreachable endpoint fails as OFFLINE without touching the folder', async () => {
    const port = await closedPort();
    const e = await failure(download(CATALOGUE_URI, {}, { endpoint: `http://127.0.0.1:${port}/` }).result);
    assert.equal(e.code, 'OFFLINE');
    assert.match(e.message, /Cannot reach 127\.0\.0\.1/);
    assert.ok(!existsSync(path.join(folder, PARTIAL_DIR)));
  });

  it('an endpoint that accepts connections but never answers fails as OFFLINE after the probe timeout', async () => {
    const { server, port } = await blackhole();
    try {
      const e = await failure(download(CATALOGUE_URI, {}, { endpoint: `http://127.0.0.1:${port}/`, probeTimeoutMs: 500 }).result);
      assert.equal(e.code, 'OFFLINE');
      assert.match(e.message, /did not answer/);
    } finally {
      server.close();
    }
  });

  it('names what is missing: an unknown repository, file or quantization; an invalid URI', async () => {
    assert.equal((await failure(download('hf:nobody/nothing-GGUF/x.gguf').result)).code, 'NOT_FOUND');
    const noFile = await failure(download(`hf:${REPO.user}/${REPO.repo}/missing.gguf`).result);
    assert.equal(noFile.code, 'NOT_FOUND');
    assert.match(noFile.message, /has no file missing\.gguf/);
    assert.equal((await failure(download(`hf:${REPO.user}/${REPO.repo}:Q8_0`).result)).code, 'NOT_FOUND');
    assert.equal((await failure(download('hf:../etc/passwd.gguf').result)).code, 'INVALID_URI');
  });

  it('does not download a verified file again', async () => {
    await download(CATALOGUE_URI).result;
    hub.requests.length = 0;
    const again = await download(CATALOGUE_URI).result;
    assert.equal(again.path, path.join(folder, FILE));
    assert.deepEqual(hub.requests.filter((q) => q.includes('/resolve/')), [], 'no file request');
  });

  it('strips the resume state the downloader can leave after the last byte, and nothing else', async () => {
    const file = path.join(folder, 'm.gguf');
    const state = (n: number) => JSON.stringify({ part: 0, chunks: Array(n).fill(2), chunkSize: 5242880, parallelStreams: 3 });
    const cases: [string, Buffer, boolean][] = [
      ['one state', Buffer.concat([model, Buffer.from(state(1))]), true],
      ['a shorter state over a longer one', Buffer.concat([model, Buffer.from(state(1) + state(9).slice(state(1).length))]), true],
      ['other trailing bytes', Buffer.concat([model, Buffer.from('{"chunks": [1] ...not json')]), false],
      ['JSON that is not a resume state', Buffer.concat([model, Buffer.from('{"a":1}')]), false],
      ['nothing extra', model, false],
    ];
    for (const [what, data, stripped] of cases) {
      writeFileSync(file, data);
      assert.equal(await stripResumeTrailer(file, model.length), stripped, what);
      assert.ok(readFileSync(file).equals(stripped ? model : data), what);
    }
  });

  it('reports RAM (and VRAM) as node-llama-cpp sees it', async () => {
    const m = await querySystemMemory(options);
    assert.ok(m.totalRamBytes > 0 && m.freeRamBytes > 0 && m.freeRamBytes <= m.totalRamBytes, JSON.stringify(m));
    assert.ok(m.gpu === false || typeof m.gpu === 'string');
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function blackhole(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer(() => undefined); // accepts, never answers
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}
