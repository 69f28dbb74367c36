/** "Build Runtime for This Machine": the build chosen per CPU, progress read from real build output, install hints, records. */
import assert from 'node:assert/strict';
import { installHint, parseBuildLine, parseRuntimeBuildRecord, parseRuntimeSpec, runtimeCmakeOptions } from '../../../src/core/runtime/build-plan';
import { parseBuilderMessage, parseHostToBuilder } from '../../../src/core/protocol/runtime-build';
import { parseEngineSpec, parseEngineStatus } from '../../../src/core/protocol/engine';

const cpu = (arch: string, flags: string, platform = 'linux') => ({ arch, platform, flags: new Set(flags.split(' ').filter(Boolean)) });

describe('runtime build plan', () => {
  it('an AMX CPU gets llama-bench\'s measured build: AVX2 + FMA + F16C, OpenMP, no AVX-512/AMX, not native (native crashed there)', () => {
    const amx = runtimeCmakeOptions(cpu('x64', 'sse4_2 avx avx2 fma f16c avx512f amx_tile amx_int8'));
    assert.equal(amx.GGML_AVX2, 'ON');
    assert.equal(amx.GGML_AVX512, 'OFF');
    assert.equal(amx.GGML_NATIVE, 'OFF');
    assert.equal(amx.GGML_OPENMP, 'ON');
  });

  it('an AVX-512 CPU without AMX keeps its AVX-512 paths (native build): the AVX2 build was 0.75x the prebuilt there', () => {
    const zen4 = runtimeCmakeOptions(cpu('x64', 'sse4_2 avx avx2 fma f16c avx512f avx512_vnni avx512_bf16'));
    assert.equal(zen4.GGML_NATIVE, 'ON');
    assert.equal(zen4.GGML_AVX512, undefined, 'never switched off');
    assert.equal(zen4.GGML_OPENMP, 'ON');
    assert.equal(runtimeCmakeOptions(cpu('x64', 'avx avx2 fma f16c')).GGML_NATIVE, 'ON', 'a plain AVX2 laptop CPU: native too');
  });

  it('without AVX2 (or on arm64 / Apple) the build is native to the CPU, never an AVX2 binary that would crash', () => {
    assert.equal(runtimeCmakeOptions(cpu('x64', 'sse4_2 avx')).GGML_AVX2, undefined);
    assert.equal(runtimeCmakeOptions(cpu('x64', '')).GGML_AVX2, undefined, 'unknown flags (macOS x64, Windows): native');
    assert.equal(runtimeCmakeOptions(cpu('arm64', 'asimd')).GGML_NATIVE, 'ON');
    assert.equal(runtimeCmakeOptions(cpu('arm64', '', 'darwin')).GGML_OPENMP, 'OFF', 'Apple clang has no OpenMP');
  });

  it('reads progress from Ninja and make output (with colour codes), and the phases around it', () => {
    assert.deepEqual(parseBuildLine('[12/277] Building CXX object CMakeFiles/llama-addon.dir/addon/AddonContext.cpp.o'), { phase: 'compile', percent: 4 });
    assert.deepEqual(parseBuildLine('[277/277] Linking CXX shared module Release/llama-addon.node'), { phase: 'compile', percent: 100 });
    assert.deepEqual(parseBuildLine('\x1b[32m[ 45%] Building C object ggml/src/CMakeFiles/ggml-base.dir/ggml.c.o\x1b[0m'), { phase: 'compile', percent: 45 });
    assert.deepEqual(parseBuildLine('-- The CXX compiler identification is GNU 12.2.0'), { phase: 'configure' });
    assert.deepEqual(parseBuildLine('-- Found OpenMP: TRUE (found version "4.5")'), { phase: 'configure' });
    assert.equal(parseBuildLine('In file included from /x/ggml.c:1: warning: [12/3] is not progress'), undefined);
    assert.equal(parseBuildLine('CMAKE_BUILD_TYPE=Release'), undefined);
  });

  it('says what to install for the platform the editor runs on', () => {
    assert.match(installHint('linux', ['cmake']), /Install cmake .*sudo apt-get install cmake git build-essential/);
    assert.match(installHint('darwin', ['C++ compiler', 'cmake']), /xcode-select --install.*brew install cmake/);
    assert.match(installHint('win32', ['git']), /Visual Studio Build Tools.*Git for Windows/);
  });

  it('records and specs are validated: no folder name that climbs out, no option value that is not plain', () => {
    const good = { nodeLlamaCpp: '3.21.1', folder: 'linux-x64-1p4x6t3j', cmakeOptions: { GGML_AVX2: 'ON' }, builtAt: '2026-12-02T16:00:00Z', seconds: 400 };
    assert.ok(parseRuntimeBuildRecord(good).ok);
    assert.equal(parseRuntimeBuildRecord({ ...good, folder: '../../evil' }).ok, false);
    assert.equal(parseRuntimeBuildRecord({ ...good, folder: '..' }).ok, false);
    assert.equal(parseRuntimeBuildRecord({ ...good, cmakeOptions: { GGML_AVX2: 'ON; rm -rf /' } }).ok, false);
    assert.equal(parseRuntimeSpec({ savedDir: '/g/runtime', folder: 'a/b', cmakeOptions: {} }).ok, false);
    assert.ok(parseRuntimeSpec({ savedDir: '/g/runtime', folder: 'linux-x64-abc', cmakeOptions: { GGML_OPENMP: 'ON' } }).ok);
  });

  it('builder messages: malformed ones are rejected on arrival', () => {
    assert.ok(parseBuilderMessage({ type: 'runtime/progress', phase: 'compile', percent: 40 }).ok);
    assert.equal(parseBuilderMessage({ type: 'runtime/progress', phase: 'compile', percent: 140 }).ok, false);
    assert.equal(parseBuilderMessage({ type: 'runtime/progress', phase: 'linking' }).ok, false);
    assert.equal(parseBuilderMessage({ type: 'runtime/failed', code: 'OOPS', message: 'x' }).ok, false);
    assert.equal(parseBuilderMessage({ type: 'runtime/failed', code: 'MISSING_TOOLS', message: 'x', missing: ['rm -rf'] }).ok, false);
    assert.equal(parseBuilderMessage({ type: 'runtime/done', record: { folder: 'x' } }).ok, false);
    assert.equal(parseHostToBuilder({ type: 'runtime/start', params: { savedDir: '' } }).ok, false);
    assert.ok(parseHostToBuilder({ type: 'runtime/start', params: { savedDir: '/g/runtime' } }).ok);
  });

  it('the engine protocol carries the runtime: a spec with a bad runtime and a status naming an unknown one are refused', () => {
    const spec = { kind: 'local', modelPath: '/m.gguf', runtime: { savedDir: '/g/runtime', folder: 'linux-x64-abc', cmakeOptions: { GGML_OPENMP: 'ON' } } };
    const ok = parseEngineSpec(spec);
    assert.ok(ok.ok && ok.value.kind === 'local' && ok.value.runtime?.folder === 'linux-x64-abc');
    assert.equal(parseEngineSpec({ ...spec, runtime: { ...spec.runtime, folder: '../x' } }).ok, false);
    const engine = { kind: 'local', name: 'm', contextSize: 2048, chatFormat: 'DeepSeekChatWrapper', loadMs: 5 };
    assert.ok(parseEngineStatus({ state: 'ready', warnings: [], engine: { ...engine, runtime: 'built for this machine' } }).ok);
    assert.equal(parseEngineStatus({ state: 'ready', warnings: [], engine: { ...engine, runtime: 'turbo' } }).ok, false);
  });
});
