/**
 * Turns a `ponder.model` value into a file to load: a path, a catalogue id or an hf: URI (looked up among the
 * downloaded models — never fetched here: no network unless the user asks for a download). Free of `vscode`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { catalogueByFileName, catalogueLabel } from '../../core/models/catalogue';
import { parseModelRef } from '../../core/models/model-ref';
import { RECORD_SUFFIX, parseDownloadRecord, type DownloadRecord } from '../../core/models/records';

export type Resolution =
  | { readonly kind: 'none' }
  | { readonly kind: 'file'; readonly path: string; readonly label: string }
  /** A catalogue model or hf: URI that is not downloaded (yet): offer the download. */
  | { readonly kind: 'missing'; readonly message: string; readonly download: { readonly uri: string; readonly label: string } }
  | { readonly kind: 'invalid'; readonly message: string };

export interface ResolveEnv {
  readonly downloadFolder: string;
  /** Where relative paths are looked up; leave it out in Restricted Mode (an untrusted workspace never supplies the model file). */
  readonly workspaceRoot?: string;
  /** False in Restricted Mode: relative names are looked up among downloaded models only, never in the workspace or cwd. */
  readonly workspaceTrusted: boolean;
  readonly home: string;
}

/** "R1 Qwen-7B Q4_K_M" for catalogue files, otherwise the file name without .gguf. */
export function modelLabel(filePath: string): string {
  const name = path.basename(filePath);
  const choice = catalogueByFileName(name);
  return choice ? catalogueLabel(choice) : name.replace(/\.gguf$/i, '');
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** Records of the verified downloads in a folder (file name → record). */
export function readRecords(folder: string): Map<string, DownloadRecord> {
  const out = new Map<string, DownloadRecord>();
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return out;
  }
  for (const n of names) {
    if (!n.endsWith(RECORD_SUFFIX)) continue;
    try {
      const r = parseDownloadRecord(JSON.parse(readFileSync(path.join(folder, n), 'utf8')));
      if (r.ok) out.set(n.slice(0, -RECORD_SUFFIX.length), r.value);
    } catch {
      /* an unreadable record only means the file shows without its origin */
    }
  }
  return out;
}

const notDownloaded = (label: string) => `${label} is not downloaded yet. Download it with "Ponder: Select Model" (or choose another model there).`;

/** `setting` names the setting in messages (`ponder.draftModel` resolves the same way). */
export function resolveModelSetting(raw: string, env: ResolveEnv, setting = 'ponder.model'): Resolution {
  const ref = parseModelRef(raw);
  switch (ref.kind) {
    case 'none':
      return ref;
    case 'invalid':
      return { kind: 'invalid', message: `\`${setting}\` is not a valid Hugging Face URI: ${ref.error}.` };
    case 'catalogue': {
      const label = catalogueLabel(ref.choice);
      const file = path.join(env.downloadFolder, ref.fileName);
      return isFile(file) ? { kind: 'file', path: file, label } : { kind: 'missing', message: notDownloaded(label), download: { uri: ref.uri, label } };
    }
    case 'hf': {
      const uri = ref.uri;
      const label = uri.kind === 'file' ? modelLabel(uri.fileName) : `${uri.repo}${uri.tag === 'latest' ? '' : ` ${uri.tag}`}`;
      if (uri.kind === 'file') {
        const file = path.join(env.downloadFolder, uri.fileName);
        const record = readRecords(env.downloadFolder).get(uri.fileName);
        if (isFile(file) && (!record || record.fileUri === uri.uri)) return { kind: 'file', path: file, label };
      } else {
        for (const [name, record] of readRecords(env.downloadFolder)) {
          const file = path.join(env.downloadFolder, name);
          if (record.uri === uri.uri && isFile(file)) return { kind: 'file', path: file, label: modelLabel(name) };
        }
      }
      return { kind: 'missing', message: notDownloaded(uri.uri), download: { uri: uri.uri, label } };
    }
    case 'path': {
      const expanded = ref.path.startsWith('~/') ? path.join(env.home, ref.path.slice(2)) : ref.path;
      if (path.isAbsolute(expanded)) return { kind: 'file', path: expanded, label: modelLabel(expanded) };
      const downloadedOnly = path.join(env.downloadFolder, expanded);
      if (!env.workspaceTrusted) {
        // A workspace file of the same name must not stand in for the user's downloaded model.
        if (isFile(downloadedOnly)) return { kind: 'file', path: downloadedOnly, label: modelLabel(downloadedOnly) };
        return { kind: 'invalid', message: `\`${setting}\` is a relative path (${expanded}) and this workspace is in Restricted Mode: Ponder does not load model files from an untrusted workspace. Choose a model with "Ponder: Select Model", use an absolute path, or trust the workspace.` };
      }
      const inWorkspace = env.workspaceRoot ? path.join(env.workspaceRoot, expanded) : path.resolve(expanded);
      // A bare file name also finds a downloaded model ("DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf").
      const downloaded = path.join(env.downloadFolder, expanded);
      const file = !existsSync(inWorkspace) && isFile(downloaded) ? downloaded : inWorkspace;
      return { kind: 'file', path: file, label: modelLabel(file) };
    }
  }
}

/** The settings model resolution reads (the host's `Config`). */
export interface ModelSettings {
  readonly modelSetting: string;
  readonly downloadFolder: string;
  readonly workspaceRoot: string | undefined;
  readonly workspaceTrusted: boolean;
}

/** Where model names are looked up under these settings (no workspace lookup in Restricted Mode). */
export function resolveEnv(config: Omit<ModelSettings, 'modelSetting'>): ResolveEnv {
  return {
    downloadFolder: config.downloadFolder,
    workspaceRoot: config.workspaceTrusted ? config.workspaceRoot : undefined,
    workspaceTrusted: config.workspaceTrusted,
    home: process.env.HOME ?? process.env.USERPROFILE ?? '',
  };
}

export function configuredModel(config: ModelSettings): Resolution {
  return resolveModelSetting(config.modelSetting, resolveEnv(config));
}

/** The .gguf file to load: `ponder.model` resolved (absolute, relative to the workspace, `~`, catalogue id, hf: URI). */
export function configuredModelPath(config: ModelSettings): string | undefined {
  const r = configuredModel(config);
  return r.kind === 'file' ? r.path : undefined;
}

/** Why no model file can be loaded although `ponder.model` is set (not downloaded, invalid URI). */
export function configuredModelProblem(config: ModelSettings): string | undefined {
  const r = configuredModel(config);
  return r.kind === 'missing' || r.kind === 'invalid' ? r.message : undefined;
}
