/**
 * A stand-in downloader (forked by the real download client over its ChildChannel): answers its one job with the
 * good or the malformed result of test/support/fake-results.ts, chosen by $PONDER_FAKE_RESULTS. No network.
 */
import { parseHostToDownloader, type DownloaderToHost } from '../../src/core/protocol/download';
import { DOWNLOAD_RESULT_CASES, FAKE_RESULTS_ENV } from './fake-results';

const bad = process.env[FAKE_RESULTS_ENV] === 'bad';
const send = (m: DownloaderToHost, then?: () => void) => process.send?.(m, undefined, {}, () => then?.());

process.on('message', (raw: unknown) => {
  const m = parseHostToDownloader(raw);
  if (!m.ok || m.value.type === 'download/cancel') return;
  const job = m.value.type;
  const c = DOWNLOAD_RESULT_CASES[job];
  if (job === 'download/start') send({ type: 'download/resolved', fileName: 'c.gguf', totalBytes: 1, fileUri: 'hf:a/b/c.gguf' });
  // Like the real downloader, one job then exit.
  send({ type: 'download/result', job, result: bad ? c.bad : c.good }, () => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
