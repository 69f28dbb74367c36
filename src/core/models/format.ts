/** Human text for sizes, speeds and times left, in the decimal units the Hugging Face hub uses. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1117320736 → "1.12 GB"; three significant digits, like the hub's listings. */
export function formatBytes(bytes: number, approximate = false): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  const digits = u === 0 ? 0 : v >= 100 ? 0 : v >= 10 ? 1 : 2;
  let text = v.toFixed(digits);
  if (u > 0 && text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return `${approximate ? '≈' : ''}${text} ${UNITS[u]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 && Number.isFinite(bytesPerSecond) ? `${formatBytes(bytesPerSecond)}/s` : '';
}

/** Seconds left → "45 s", "3 min 05 s", "1 h 12 min"; '' when unknown. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

export interface ProgressFigures {
  readonly downloadedBytes: number;
  readonly totalBytes: number;
  readonly bytesPerSecond: number;
}

/** Whole percent, never 100 before the last byte. */
export function percent(p: { readonly downloadedBytes: number; readonly totalBytes: number }): number {
  if (p.totalBytes <= 0) return 0;
  const v = Math.floor((p.downloadedBytes / p.totalBytes) * 100);
  return p.downloadedBytes >= p.totalBytes ? 100 : Math.min(99, Math.max(0, v));
}

/** Seconds left at the current speed, or undefined while the speed is unknown. */
export function etaSeconds(p: ProgressFigures): number | undefined {
  return p.bytesPerSecond > 0 ? Math.max(0, p.totalBytes - p.downloadedBytes) / p.bytesPerSecond : undefined;
}

/** "423 MB of 1.12 GB · 12.3 MB/s · 1 min 12 s left" */
export function formatProgress(p: ProgressFigures): string {
  const parts = [`${formatBytes(p.downloadedBytes)} of ${formatBytes(p.totalBytes)}`];
  const speed = formatSpeed(p.bytesPerSecond);
  if (speed) parts.push(speed);
  const eta = formatEta(etaSeconds(p));
  if (eta) parts.push(`${eta} left`);
  return parts.join(' · ');
}
