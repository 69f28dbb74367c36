/**
 * Benchmark probe (bench/sections/verify.mjs loads it as `extensionTestsPath`); not a test. With the TypeScript
 * service warm, applies a fix to src/totals.ts $PONDER_BENCH_REPS times and measures Apply → the verification line
 * (wall clock from the Apply command to the final line, and the verifier's own write → outcome), undoing in between.
 */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { PonderApi } from '../../../src/extension/context';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isApi = (v: unknown): v is PonderApi => typeof v === 'object' && v !== null && 'verifications' in v;

async function until<T>(probe: () => T | undefined, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export async function run(): Promise<void> {
  const out = process.env.PONDER_BENCH_OUT ?? '';
  const reps = Number(process.env.PONDER_BENCH_REPS ?? '5');
  try {
    const api: unknown = await vscode.extensions.getExtension('ponder-dev.ponder')?.activate();
    if (!isApi(api)) throw new Error('Ponder did not return its API');
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('no workspace folder');
    const uri = vscode.Uri.joinPath(folder.uri, 'src/totals.ts');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    const typo = () => vscode.languages.getDiagnostics(uri).find((d) => d.message.includes("'totl'"));
    await until(typo, 'the TypeScript service to report the typo (warm-up)', 120_000);
    const original = doc.getText();
    const samples: { ms: number; checkMs?: number; state: string; text: string }[] = [];
    for (let i = 0; i < reps + 1; i++) { // the first Apply warms the path and is not counted
      const d = await until(typo, 'the typo before Apply');
      const seen = new Set(api.verifications().map((r) => r.sessionId));
      const answer = '```ts\n' + original.replace('return totl;', 'return total;') + '```\n';
      const made = await vscode.commands.executeCommand<{ ok: boolean; proposalId?: string; reason?: string }>('ponder.proposeFromAnswer', { uri: uri.toString(), answer, focus: { line: d.range.start.line, message: d.message } });
      if (!made?.ok || !made.proposalId) throw new Error(`no proposal: ${made?.reason}`);
      const t0 = performance.now();
      await vscode.commands.executeCommand('ponder.applyProposal', made.proposalId);
      const r = await until(() => api.verifications().find((x) => !seen.has(x.sessionId) && x.state !== 'running'), 'the verification line');
      const ms = performance.now() - t0;
      if (i > 0) samples.push({ ms, checkMs: r.checkMs, state: r.state, text: r.text });
      await vscode.commands.executeCommand('ponder.undoChange', r.sessionId);
      await until(() => doc.getText() === original || undefined, 'the undo');
      await sleep(1_500); // the service re-reports the typo; the next Apply starts from a settled state
    }
    writeFileSync(out, JSON.stringify({ samples }));
  } catch (e) {
    writeFileSync(out, JSON.stringify({ error: e instanceof Error ? e.stack ?? e.message : String(e) }));
  }
}
