/**
 * Host ↔ runtime-builder protocol. The builder (dist/runtime-build.mjs) is forked, in its own process group, for one
 * build of node-llama-cpp from the llama.cpp source it bundles; Cancel kills the whole group (CMake, make, compilers).
 */
import { isCmakeOptions, parseRuntimeBuildRecord, type BuildPhase, type BuildTool, type CmakeOptions, type RuntimeBuildRecord } from '../runtime/build-plan';
import { fail, isFiniteNumber, isObject, isString, type Result } from './validate';

export interface RuntimeBuildParams {
  /** Where the finished build is copied to and kept (global storage): survives extension updates. */
  readonly savedDir: string;
  /** Overrides the options chosen for this CPU (tests, and users who know better). */
  readonly cmakeOptions?: CmakeOptions;
}

export type HostToBuilder = { readonly type: 'runtime/start'; readonly params: RuntimeBuildParams };

export type RuntimeBuildErrorCode = 'MISSING_TOOLS' | 'NO_SOURCE' | 'BUILD_FAILED' | 'LOAD_FAILED' | 'CANCELLED' | 'INTERNAL';

export type BuilderToHost =
  /** The build started: node-llama-cpp's build folder and what was in it before (the host cleans up after a Cancel). */
  | { readonly type: 'runtime/started'; readonly localBuildsDir: string; readonly existing: readonly string[]; readonly cmakeOptions: CmakeOptions }
  | { readonly type: 'runtime/progress'; readonly phase: BuildPhase; readonly percent?: number }
  | { readonly type: 'runtime/done'; readonly record: RuntimeBuildRecord }
  | { readonly type: 'runtime/failed'; readonly code: RuntimeBuildErrorCode; readonly message: string; readonly missing?: readonly BuildTool[] };

const PHASES: readonly BuildPhase[] = ['source', 'configure', 'compile', 'test'];
const CODES: readonly RuntimeBuildErrorCode[] = ['MISSING_TOOLS', 'NO_SOURCE', 'BUILD_FAILED', 'LOAD_FAILED', 'CANCELLED', 'INTERNAL'];
const TOOLS: readonly BuildTool[] = ['cmake', 'git', 'C++ compiler'];

export function parseHostToBuilder(v: unknown): Result<HostToBuilder> {
  if (!isObject(v) || v.type !== 'runtime/start' || !isObject(v.params)) return fail('expected runtime/start with params');
  const p = v.params;
  if (!isString(p.savedDir) || p.savedDir === '') return fail('params.savedDir must be a non-empty string');
  let cmakeOptions: CmakeOptions | undefined;
  if (p.cmakeOptions !== undefined) {
    if (!isCmakeOptions(p.cmakeOptions)) return fail('params.cmakeOptions must map option names to plain values');
    cmakeOptions = p.cmakeOptions;
  }
  return { ok: true, value: { type: 'runtime/start', params: { savedDir: p.savedDir, ...(cmakeOptions ? { cmakeOptions } : {}) } } };
}

export function parseBuilderMessage(v: unknown): Result<BuilderToHost> {
  if (!isObject(v)) return fail('a builder message must be an object');
  switch (v.type) {
    case 'runtime/started': {
      if (!isString(v.localBuildsDir) || !Array.isArray(v.existing) || !v.existing.every(isString)) return fail('runtime/started needs localBuildsDir and existing[]');
      if (!isCmakeOptions(v.cmakeOptions)) return fail('runtime/started needs cmakeOptions');
      return { ok: true, value: { type: v.type, localBuildsDir: v.localBuildsDir, existing: [...v.existing], cmakeOptions: v.cmakeOptions } };
    }
    case 'runtime/progress': {
      if (!PHASES.includes(v.phase as BuildPhase)) return fail(`unknown build phase ${JSON.stringify(v.phase)}`);
      if (v.percent !== undefined && !(isFiniteNumber(v.percent) && v.percent >= 0 && v.percent <= 100)) return fail('percent must be 0–100');
      return { ok: true, value: { type: v.type, phase: v.phase as BuildPhase, ...(v.percent !== undefined ? { percent: v.percent as number } : {}) } };
    }
    case 'runtime/done': {
      const record = parseRuntimeBuildRecord(v.record);
      return record.ok ? { ok: true, value: { type: v.type, record: record.value } } : fail(`runtime/done: ${record.error}`);
    }
    case 'runtime/failed': {
      if (!CODES.includes(v.code as RuntimeBuildErrorCode) || !isString(v.message)) return fail('runtime/failed needs a known code and a message');
      if (v.missing !== undefined && !(Array.isArray(v.missing) && v.missing.every((t) => TOOLS.includes(t as BuildTool)))) return fail('runtime/failed: unknown missing tool');
      return { ok: true, value: { type: v.type, code: v.code as RuntimeBuildErrorCode, message: v.message, ...(v.missing ? { missing: v.missing as BuildTool[] } : {}) } };
    }
    default:
      return fail(`unknown builder message type ${JSON.stringify(v.type)}`);
  }
}

