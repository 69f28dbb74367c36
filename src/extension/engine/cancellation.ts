/** VS Code CancellationToken → AbortSignal, the currency of the engine client (which then sends `engine/abort`). */
import type * as vscode from 'vscode';

export function toAbortSignal(token: vscode.CancellationToken): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const sub = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => sub.dispose() };
}
