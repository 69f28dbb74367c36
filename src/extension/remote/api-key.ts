/**
 * API keys of remote engines, in VS Code's SecretStorage (the OS keychain), one per server origin: a key set for one
 * server is never sent to another after `ponder.remote.baseUrl` changes. Keys never go to settings or logs.
 */
import type * as vscode from 'vscode';

const PREFIX = 'ponder.remote.apiKey:';

/** The origin a key belongs to ("https://api.deepseek.com"), or undefined for an invalid URL. */
export function keyOrigin(baseUrl: string): string | undefined {
  try {
    const u = new URL(baseUrl);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(baseUrl: string): Promise<string | undefined> {
    const origin = keyOrigin(baseUrl);
    return origin ? (await this.secrets.get(PREFIX + origin)) || undefined : undefined;
  }

  async set(baseUrl: string, key: string): Promise<void> {
    const origin = keyOrigin(baseUrl);
    if (!origin) throw new Error(`not an http(s) URL: ${baseUrl}`);
    await this.secrets.store(PREFIX + origin, key);
  }

  async delete(baseUrl: string): Promise<void> {
    const origin = keyOrigin(baseUrl);
    if (origin) await this.secrets.delete(PREFIX + origin);
  }
}

/** What a key may look like: one line of visible ASCII (it becomes an Authorization header). */
export function checkApiKey(key: string): string | undefined {
  if (!key.trim()) return 'Enter the key, or press Escape.';
  if (!/^[\x21-\x7e]+$/.test(key.trim())) return 'An API key is one line of letters, digits and symbols, without spaces.';
  if (key.trim().length > 4096) return 'That is too long for an API key.';
  return undefined;
}
