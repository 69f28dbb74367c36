/** Where "Build Runtime for This Machine" keeps its build, and when the worker is told to use it. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RuntimeStore } from '../../../src/extension/runtime/runtime-store';

describe('runtime store (global storage)', () => {
  let root: string;
  let ext: string;
  const warnings: string[] = [];
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'ponder-store-'));
    ext = path.join(root, 'extension');
    mkdirSync(path.join(ext, 'node_modules', 'node-llama-cpp'), { recursive: true });
    writeFileSync(path.join(ext, 'node_modules', 'node-llama-cpp', 'package.json'), JSON.stringify({ version: '3.21.1' }));
    warnings.length = 0;
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const record = (folder: string, nodeLlamaCpp = '3.21.1') => ({ nodeLlamaCpp, folder, cmakeOptions: { GGML_AVX2: 'ON', GGML_OPENMP: 'ON' }, builtAt: '2026-12-02T16:00:00Z', seconds: 420 });

  it('no build: the worker gets no runtime (the prebuilt one)', () => {
    assert.equal(new RuntimeStore(path.join(root, 'gs'), ext, (m) => warnings.push(m)).spec(), undefined);
    assert.deepEqual(warnings, []);
  });

  it('a saved build is handed to the worker from global storage, and read back after a reload (a new store)', () => {
    const gs = path.join(root, 'gs');
    new RuntimeStore(gs, ext, (m) => warnings.push(m)).save(record('linux-x64-a'));
    const spec = new RuntimeStore(gs, ext, (m) => warnings.push(m)).spec();
    assert.deepEqual(spec, { savedDir: path.join(gs, 'runtime'), folder: 'linux-x64-a', cmakeOptions: { GGML_AVX2: 'ON', GGML_OPENMP: 'ON' } });
  });

  it('an update to another node-llama-cpp: the old build is not used, and the user is told once to rebuild', () => {
    const gs = path.join(root, 'gs');
    const store = new RuntimeStore(gs, ext, (m) => warnings.push(m));
    store.save(record('linux-x64-a', '3.20.0'));
    assert.equal(store.spec(), undefined);
    assert.equal(store.spec(), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /made for node-llama-cpp 3\.20\.0; this Ponder has 3\.21\.1.*Build Runtime for This Machine/);
  });

  it('a rebuild replaces the old saved copy; Remove deletes it and the record', () => {
    const gs = path.join(root, 'gs');
    const store = new RuntimeStore(gs, ext, (m) => warnings.push(m));
    store.save(record('linux-x64-a'));
    mkdirSync(path.join(store.dir, 'linux-x64-a'));
    store.save(record('linux-x64-b'));
    assert.equal(existsSync(path.join(store.dir, 'linux-x64-a')), false);
    mkdirSync(path.join(store.dir, 'linux-x64-b'));
    store.remove();
    assert.equal(existsSync(path.join(store.dir, 'linux-x64-b')), false);
    assert.equal(existsSync(path.join(store.dir, 'build.json')), false);
    assert.equal(store.spec(), undefined);
  });

  it('a tampered record (a folder that climbs out) is ignored with a warning', () => {
    const gs = path.join(root, 'gs');
    mkdirSync(path.join(gs, 'runtime'), { recursive: true });
    writeFileSync(path.join(gs, 'runtime', 'build.json'), JSON.stringify(record('../../../etc')));
    const store = new RuntimeStore(gs, ext, (m) => warnings.push(m));
    assert.equal(store.spec(), undefined);
    assert.match(warnings.join('\n'), /Ignoring the runtime build record/);
    assert.ok(readFileSync(path.join(gs, 'runtime', 'build.json'), 'utf8'));
  });
});
