/** Small type guards for validating untrusted messages at every boundary (worker, webview). */

/** Validation results use the one Result convention (core/result). */
export { fail, type Result } from '../result';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const isString = (v: unknown): v is string => typeof v === 'string';

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** True when `v` is absent or passes `guard`. */
export function optional(v: unknown, guard: (x: unknown) => boolean): boolean {
  return v === undefined || guard(v);
}
