/**
 * Workspace Trust for settings: which `ponder.*` settings a Restricted-Mode workspace may not choose, and which of
 * them a workspace settings file sets anyway. VS Code hides those values from get()/inspect() in Restricted Mode,
 * so telling the user "your workspace's value is ignored" needs the file's own text (JSONC). Pure: no I/O here.
 */
import { parse, type ParseError } from 'jsonc-parser';

/**
 * Settings that name a file, folder, URL, header, or decide which program runs or which server receives code.
 * Mirrors `capabilities.untrustedWorkspaces.restrictedConfigurations` in package.json (a unit test keeps them equal).
 */
export const RESTRICTED_SETTINGS = [
  'ponder.model',
  // Speculative decoding (issue 13): a second model file to load, chosen like ponder.model.
  'ponder.draftModel',
  'ponder.downloadFolder',
  'ponder.engine',
  'ponder.remote.baseUrl',
  'ponder.remote.model',
  'ponder.remote.headers',
  // Verification (issue 12): a command Ponder runs, and whether repairs apply themselves: the user's choice only
  // (the host also reads them from the user settings alone, trusted or not).
  'ponder.verify.enabled',
  'ponder.verify.quietPeriodMs',
  'ponder.verify.timeoutSeconds',
  'ponder.verify.command',
  'ponder.verify.commandTimeoutSeconds',
  'ponder.verify.outputLines',
  'ponder.verify.autoRepairRounds',
  'ponder.verify.autoApplyRepairs',
] as const;

export type RestrictedSetting = (typeof RESTRICTED_SETTINGS)[number];

export const isRestrictedSetting = (key: string): key is RestrictedSetting => (RESTRICTED_SETTINGS as readonly string[]).includes(key);

/** A restricted setting found in a workspace file, with its value shortened for display. */
export interface WorkspaceSettingValue {
  readonly key: RestrictedSetting;
  readonly value: string;
}

/**
 * The restricted settings a settings file sets. `section` = 'settings' for a `.code-workspace` file. Tolerant like
 * VS Code: comments and trailing commas are fine; an unreadable file sets nothing.
 */
export function restrictedSettingsIn(text: string, section?: 'settings'): WorkspaceSettingValue[] {
  const errors: ParseError[] = [];
  const root: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const obj = section && isObject(root) ? root[section] : root;
  if (!isObject(obj)) return [];
  return RESTRICTED_SETTINGS.filter((k) => Object.prototype.hasOwnProperty.call(obj, k)).map((key) => ({ key, value: display(obj[key]) }));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value as the user wrote it, one line, at most 80 characters (it comes from an untrusted file). */
function display(v: unknown): string {
  const s = (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v)).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

/** One sentence naming what is ignored, e.g. `ponder.model = "models/x.gguf"`. */
export function describeIgnored(values: readonly WorkspaceSettingValue[]): string {
  return values.map((v) => `${v.key} = ${v.value}`).join(', ');
}
