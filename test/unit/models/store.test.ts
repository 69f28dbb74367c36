/** The download folder as the host sees it: what is offered, what is resumable, how ponder.model resolves. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PARTIAL_DIR, RECORD_SUFFIX, parseDownloadRecord, parsePartialRecord } from '../../../src/core/models/records';
import { parseDownloaderMessage, parseHostToDownloader, parseJobResult } from '../../../src/core/protocol/download';
import { modelLabel, resolveEnv, resolveModelSetting } from '../../../src/extension/models/resolve';
import { ModelStore } from '../../../src/extension/models/store';

const Q7 = 'DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf';

describe('download folder and ponder.model resolution', () => {
  let folder: string;
  let ws: string;
  const env = () => ({ downloadFolder: folder, workspaceRoot: ws, workspaceTrusted: true, home: '/home/u' });
  beforeEach(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ponder-store-'));
    ws = mkdtempSync(path.join(os.tmpdir(), 'ponder-ws-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  });

  const record = (uri: string, fileUri: string) => ({ uri, fileUri, sizeBytes: 4, verified: 'size-and-header', downloadedAt: 1 });

  it('offers only complete files; parts in .partial are resumable, never models', async () => {
    writeFileSync(path.join(folder, Q7), 'GGUF');
    writeFileSync(path.join(folder, Q7 + RECORD_SUFFIX), JSON.stringify(record('hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF:Q4_K_M', `hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF/${Q7}`)));
    writeFileSync(path.join(folder, 'mine.gguf'), 'GGUF');
    mkdirSync(path.join(folder, PARTIAL_DIR));
    writeFileSync(path.join(folder, PARTIAL_DIR, 'big.gguf.ipull'), 'xx');
    writeFileSync(path.join(folder, PARTIAL_DIR, 'big.gguf' + RECORD_SUFFIX), JSON.stringify({ uri: 'hf:u/r/big.gguf', fileName: 'big.gguf', label: 'big', totalBytes: 100, downloadedBytes: 40, updatedAt: 5 }));
    writeFileSync(path.join(folder, PARTIAL_DIR, 'torn.gguf' + RECORD_SUFFIX), '{"uri":');
    const store = new ModelStore(folder);
    const d = await store.downloaded();
    assert.deepEqual(d.map((x) => [x.fileName, x.label, x.record?.verified ?? null, x.catalogue?.model.id ?? null]), [
      [Q7, 'R1 Qwen-7B Q4_K_M', 'size-and-header', 'qwen-7b'],
      ['mine.gguf', 'mine', null, null],
    ]);
    assert.deepEqual((await store.partials()).map((p) => [p.fileName, p.downloadedBytes]), [['big.gguf', 40]]);
    await store.discardPartial('big.gguf');
    assert.deepEqual(await store.partials(), []);
    assert.ok(!existsSync(path.join(folder, PARTIAL_DIR, 'big.gguf.ipull')));
    await store.delete(Q7);
    assert.deepEqual((await store.downloaded()).map((x) => x.fileName), ['mine.gguf']);
    assert.ok(!existsSync(path.join(folder, Q7 + RECORD_SUFFIX)));
    await assert.rejects(store.delete('../etc/passwd'), /not a model file name/);
  });

  it('resolves catalogue ids and hf: URIs to downloaded files, never to the network', () => {
    const missing = resolveModelSetting('qwen-7b', env());
    assert.equal(missing.kind, 'missing');
    assert.ok(missing.kind === 'missing' && missing.download.uri === `hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF/${Q7}` && /not downloaded yet/.test(missing.message));
    writeFileSync(path.join(folder, Q7), 'GGUF');
    writeFileSync(path.join(folder, Q7 + RECORD_SUFFIX), JSON.stringify(record('hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF:Q4_K_M', `hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF/${Q7}`)));
    assert.deepEqual(resolveModelSetting('qwen-7b', env()), { kind: 'file', path: path.join(folder, Q7), label: 'R1 Qwen-7B Q4_K_M' });
    assert.equal(resolveModelSetting(`hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF/${Q7}`, env()).kind, 'file');
    assert.equal(resolveModelSetting('hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF:q4_k_m', env()).kind, 'file', 'a quantization URI through the record');
    assert.equal(resolveModelSetting('hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF:Q8_0', env()).kind, 'missing');
    assert.equal(resolveModelSetting('hf:bad', env()).kind, 'invalid');
    assert.equal(resolveModelSetting('', env()).kind, 'none');
  });

  it('resolves paths: absolute, ~, workspace-relative, and a bare downloaded file name', () => {
    assert.deepEqual(resolveModelSetting('/m/x.gguf', env()), { kind: 'file', path: '/m/x.gguf', label: 'x' });
    assert.deepEqual(resolveModelSetting('~/m/x.gguf', env()), { kind: 'file', path: '/home/u/m/x.gguf', label: 'x' });
    const rel = resolveModelSetting('models/x.gguf', env());
    assert.ok(rel.kind === 'file' && rel.path === path.join(ws, 'models/x.gguf'));
    writeFileSync(path.join(folder, 'dl.gguf'), 'GGUF');
    const bare = resolveModelSetting('dl.gguf', env());
    assert.ok(bare.kind === 'file' && bare.path === path.join(folder, 'dl.gguf'));
    writeFileSync(path.join(ws, 'dl.gguf'), 'GGUF');
    const shadowed = resolveModelSetting('dl.gguf', env());
    assert.ok(shadowed.kind === 'file' && shadowed.path === path.join(ws, 'dl.gguf'), 'the workspace wins');
    assert.equal(modelLabel('/x/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf'), 'R1 Qwen-1.5B Q4_K_M');
  });

  it('Restricted Mode: names never resolve inside the workspace (nor the cwd), even when the file is there', () => {
    const untrusted = () => resolveEnv({ downloadFolder: folder, workspaceRoot: ws, workspaceTrusted: false });
    mkdirSync(path.join(ws, 'models'));
    writeFileSync(path.join(ws, 'models', 'x.gguf'), 'GGUF');
    const rel = resolveModelSetting('models/x.gguf', untrusted());
    assert.equal(rel.kind, 'invalid');
    assert.match(rel.kind === 'invalid' ? rel.message : '', /Restricted Mode/);
    // A bare name the user set finds their downloaded model, not the workspace's file of the same name.
    writeFileSync(path.join(folder, 'dl.gguf'), 'GGUF');
    writeFileSync(path.join(ws, 'dl.gguf'), 'GGUF');
    assert.deepEqual(resolveModelSetting('dl.gguf', untrusted()), { kind: 'file', path: path.join(folder, 'dl.gguf'), label: 'dl' });
    // Trusted, the same settings keep the old behaviour.
    const trusted = resolveModelSetting('models/x.gguf', resolveEnv({ downloadFolder: folder, workspaceRoot: ws, workspaceTrusted: true }));
    assert.ok(trusted.kind === 'file' && trusted.path === path.join(ws, 'models/x.gguf'));
  });

  it('validates records and downloader messages (untrusted input)', () => {
    assert.equal(parseDownloadRecord({ uri: 'hf:a/b', fileUri: 'hf:a/b/c.gguf', sizeBytes: 1, verified: 'sha256', sha256: 'nothex', downloadedAt: 1 }).ok, false);
    assert.equal(parseDownloadRecord({ uri: 'hf:a/b', fileUri: 'hf:a/b/c.gguf', sizeBytes: 1, verified: 'trust-me', downloadedAt: 1 }).ok, false);
    assert.equal(parsePartialRecord({ uri: 'u', fileName: '../x.gguf', label: 'l', totalBytes: 1, downloadedBytes: 0, updatedAt: 0 }).ok, false);
    assert.equal(parseHostToDownloader({ type: 'download/start', params: { uri: 'hf:a/b', folder: '', label: 'x' } }).ok, false);
    assert.equal(parseHostToDownloader({ type: 'download/start', params: { uri: 'hf:a/b', folder: '/f', label: 'x', probeTimeoutMs: -1 } }).ok, false);
    assert.equal(parseHostToDownloader({ type: 'download/rm' }).ok, false);
    assert.equal(parseDownloaderMessage({ type: 'download/progress', phase: 'downloading', downloadedBytes: -1, totalBytes: 1, bytesPerSecond: 0 }).ok, false);
    assert.equal(parseDownloaderMessage({ type: 'download/failed', error: { code: 'NOPE', message: 'x' } }).ok, false);
    assert.equal(parseDownloaderMessage({ type: 'download/result', job: 'download/rm', result: {} }).ok, false);
    assert.equal(parseJobResult('download/start', { path: '/x', record: { uri: 1 } }).ok, false);
    assert.equal(parseJobResult('download/systemInfo', { totalRamBytes: 1, freeRamBytes: 1, gpu: 3, vramTotalBytes: 0, vramFreeBytes: 0, unifiedMemory: false }).ok, false);
    const ok = parseDownloaderMessage({ type: 'download/failed', error: { code: 'OFFLINE', message: 'no net' }, extra: 1 });
    assert.deepEqual(ok, { ok: true, value: { type: 'download/failed', error: { code: 'OFFLINE', message: 'no net' } } });
  });
});
