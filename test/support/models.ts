/** Generated GGUF models for tests (never committed): produced by scripts/gguf on first use and cached in .cache/. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths';

export interface ScenarioSpec { readonly thought: string; readonly answer: string; readonly loopThought?: boolean }
export interface Expected { readonly thought: string | null; readonly thoughtCycle: string | null; readonly answer: string }

interface GeneratorModule {
  ensureScenarioModel(name: string, dir: string): Promise<string>;
  writeCorruptModels(dir: string): Promise<{ truncated: string; notGguf: string; empty: string }>;
  expectedOutput(spec: ScenarioSpec): Expected;
  SCENARIOS: Record<string, ScenarioSpec>;
  EDIT_SAMPLE_ORIGINAL: string;
  EDIT_SAMPLE_FIXED: string;
  HOSTILE_ANSWER: string;
  LOOKUP_SAMPLE_ORIGINAL: string;
  /** A draft of a target spec (same vocabulary, successors perturbed at `rate`), or an incompatible one. */
  draftSpec(target: ScenarioSpec, options?: { rate?: number; seed?: number; vocabSize?: number; incompatible?: 'eos' | 'bos' | 'token-text' }): ScenarioSpec;
  ensureModel(spec: ScenarioSpec, dir: string, fileName: string): Promise<string>;
}

let generator: Promise<GeneratorModule> | undefined;

export function loadGenerator(): Promise<GeneratorModule> {
  generator ??= import(pathToFileURL(path.join(repoRoot(), 'scripts/gguf/generate-model.mjs')).href) as Promise<GeneratorModule>;
  return generator;
}

export const modelsDir = (): string => path.join(repoRoot(), '.cache', 'test-models');

export async function scenarioModel(name: string): Promise<{ path: string; spec: ScenarioSpec; expected: Expected }> {
  const g = await loadGenerator();
  const spec = g.SCENARIOS[name];
  if (!spec) throw new Error(`no scenario ${name}`);
  return { path: await g.ensureScenarioModel(name, modelsDir()), spec, expected: g.expectedOutput(spec) };
}

/** Any spec (e.g. a scenario with another vocabulary size, or a draft of one), generated once per file name. */
export async function specModel(spec: ScenarioSpec, fileName: string): Promise<string> {
  const g = await loadGenerator();
  return g.ensureModel(spec, modelsDir(), fileName);
}
