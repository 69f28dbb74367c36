/**
 * Hugging Face model URIs as node-llama-cpp understands them, parsed and validated before any network use:
 *   hf:<user>/<repo>:<quant>            a quantization, resolved through the hub's manifest (e.g. hf:unsloth/X-GGUF:Q4_K_M)
 *   hf:<user>/<repo>                    the repository's default (Q4_K_M when it has one)
 *   hf:<user>/<repo>/<path>.gguf[#rev]  one file
 * A pasted https://huggingface.co/<user>/<repo>/(resolve|blob)/<rev>/<path>.gguf link is accepted as a file URI.
 */
import { fail, type Result } from '../protocol/validate';

export type HfUri =
  | {
      readonly kind: 'file';
      readonly user: string;
      readonly repo: string;
      readonly revision: string;
      /** Path of the file inside the repository, e.g. "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf". */
      readonly path: string;
      readonly fileName: string;
      /** Canonical form, e.g. "hf:unsloth/X-GGUF/file.gguf" ("#rev" only when not main). */
      readonly uri: string;
    }
  | {
      readonly kind: 'quant';
      readonly user: string;
      readonly repo: string;
      /** "Q4_K_M", or "latest" for the repository default. */
      readonly tag: string;
      readonly uri: string;
    };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
const TAG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REVISION = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/;
const SEGMENT = /^[^/\\?#%\u0000-\u001f]+$/;
const SPLIT_PART = /-\d{5}-of-\d{5}\.gguf$/i;

/** True when the text is meant as a Hugging Face reference (even if it then fails validation). */
export function looksLikeHfUri(text: string): boolean {
  return /^(hf|huggingface):/i.test(text.trim()) || /^(https?:\/\/)?(www\.)?(huggingface\.co|hf\.co)\//i.test(text.trim());
}

export function parseHfUri(input: string): Result<HfUri> {
  const text = input.trim();
  const url = /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\/([^?#]+)(?:[?#].*)?$/i.exec(text);
  if (url) {
    const parts = url[1].split('/').map(safeDecode);
    const [user, repo, kind, revision, ...rest] = parts;
    if (!user || !repo || (kind !== 'resolve' && kind !== 'blob') || !revision || rest.length === 0) {
      return fail(`"${text}" is not a link to a .gguf file on huggingface.co (expected https://huggingface.co/<user>/<repo>/resolve/main/<file>.gguf)`);
    }
    return fileUri(user, repo, rest.join('/'), revision, text);
  }
  const m = /^(?:hf|huggingface):(?:\/\/)?(.*)$/i.exec(text);
  if (!m) return fail(`"${text}" is not a Hugging Face URI (expected hf:<user>/<repo>:<quant> or hf:<user>/<repo>/<file>.gguf)`);
  const body = m[1];
  const [user, repoAndTag, ...pathParts] = body.split('/');
  if (!user || !repoAndTag) return fail(`"${text}" needs a user and a repository: hf:<user>/<repo>…`);
  if (pathParts.length === 0) {
    const [repo, tag, ...extra] = repoAndTag.split(':');
    if (extra.length) return fail(`"${text}" has more than one ":<quant>"`);
    if (!NAME.test(user) || !NAME.test(repo) || repo.includes('..')) return fail(`"${text}" has an invalid user or repository name`);
    if (tag !== undefined && !TAG.test(tag)) return fail(`"${text}" has an invalid quantization tag`);
    const normalized = tag === undefined || tag.toLowerCase() === 'latest' ? 'latest' : tag.toUpperCase();
    return { ok: true, value: { kind: 'quant', user, repo, tag: normalized, uri: `hf:${user}/${repo}${normalized === 'latest' ? '' : `:${normalized}`}` } };
  }
  const joined = pathParts.join('/');
  const hash = joined.indexOf('#');
  return fileUri(user, repoAndTag, hash >= 0 ? joined.slice(0, hash) : joined, hash >= 0 ? joined.slice(hash + 1) || 'main' : 'main', text);
}

function fileUri(user: string, repo: string, path: string, revision: string, text: string): Result<HfUri> {
  if (!NAME.test(user) || !NAME.test(repo) || repo.includes('..')) return fail(`"${text}" has an invalid user or repository name`);
  if (!REVISION.test(revision) || revision.includes('..')) return fail(`"${text}" has an invalid revision`);
  const segments = path.split('/');
  if (segments.some((s) => !SEGMENT.test(s) || s === '.' || s === '..')) return fail(`"${text}" has an invalid file path`);
  const fileName = segments[segments.length - 1];
  if (!/\.gguf$/i.test(fileName)) return fail(`"${text}" does not name a .gguf file`);
  if (SPLIT_PART.test(fileName)) return fail(`"${fileName}" is one part of a split model, which Ponder cannot download yet: choose a smaller quantization (one file)`);
  const uri = `hf:${user}/${repo}/${path}${revision === 'main' ? '' : `#${revision}`}`;
  return { ok: true, value: { kind: 'file', user, repo, revision, path, fileName, uri } };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Canonical form of any accepted spelling (so settings and sidecars compare equal), or undefined when invalid. */
export function canonicalHfUri(text: string): string | undefined {
  const r = parseHfUri(text);
  return r.ok ? r.value.uri : undefined;
}

const seg = (s: string) => encodeURIComponent(s);
const pathUrl = (p: string) => p.split('/').map(seg).join('/');
const withSlash = (endpoint: string) => (endpoint.endsWith('/') ? endpoint : `${endpoint}/`);

/** The hub's manifest for a quantization (what llama.cpp asks; answers with the file name). */
export function hfManifestUrl(endpoint: string, user: string, repo: string, tag: string): string {
  return `${withSlash(endpoint)}v2/${seg(user)}/${seg(repo)}/manifests/${seg(tag)}`;
}

/** The hub's listing of one folder: sizes and LFS sha256 (`lfs.oid`) of its files. */
export function hfTreeUrl(endpoint: string, user: string, repo: string, revision: string, folder: string): string {
  return `${withSlash(endpoint)}api/models/${seg(user)}/${seg(repo)}/tree/${seg(revision)}${folder ? `/${pathUrl(folder)}` : ''}`;
}

export function hfFileUrl(endpoint: string, uri: Extract<HfUri, { kind: 'file' }>): string {
  return `${withSlash(endpoint)}${seg(uri.user)}/${seg(uri.repo)}/resolve/${seg(uri.revision)}/${pathUrl(uri.path)}`;
}
