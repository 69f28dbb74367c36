/** Small type guards for validating untrusted messages at every boundary (worker, webview). */

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export const fail = (error: string): { readonly ok: false; readonly error: string } => ({ ok: false, error });

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const isString = (v: unknown): v is string => typeof v === 'string';

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** True when `v` is absent or passes `guard`. */
export function optional(v: unknown, guard: (x: unknown) => boolean): boolean {
  return v === undefined || guard(v);
}
