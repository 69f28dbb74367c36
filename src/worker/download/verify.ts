/** Checks a finished download before it may be offered as a model: size, GGUF header, and sha256 when known. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { readGgufFileInfo } from 'node-llama-cpp';
import { formatBytes } from '../../core/models/format';
import { DownloadFailure } from './hub';
import { errorMessage } from '../../core/result';

export interface Expected {
  readonly totalBytes: number;
  readonly sha256?: string;
}

const AGAIN = 'The file was deleted; download it again.';

export async function verifyDownload(path: string, expected: Expected, onHashProgress: (bytes: number) => void): Promise<'sha256' | 'size-and-header'> {
  const size = (await stat(path)).size;
  if (size !== expected.totalBytes) {
    throw new DownloadFailure({
      code: 'SIZE_MISMATCH',
      message: `The downloaded file has ${size} bytes (${formatBytes(size)}) but the hub lists ${expected.totalBytes} (${formatBytes(expected.totalBytes)}): the transfer was damaged or the file changed on the hub. ${AGAIN}`,
    });
  }
  const head = Buffer.alloc(8);
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, 8, 0);
  } finally {
    await fh.close();
  }
  const version = head.readUInt32LE(4);
  if (head.toString('latin1', 0, 4) !== 'GGUF' || (version !== 2 && version !== 3)) {
    throw new DownloadFailure({ code: 'NOT_GGUF', message: `The downloaded file is not a GGUF model (it does not start with a GGUF v2/v3 header). ${AGAIN}` });
  }
  try {
    await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.merges', 'tokenizer.ggml.token_type', 'tokenizer.ggml.scores'] });
  } catch (e) {
    throw new DownloadFailure({ code: 'NOT_GGUF', message: `The downloaded file’s GGUF header is damaged (${errorMessage(e)}). ${AGAIN}` });
  }
  if (!expected.sha256) return 'size-and-header';
  const actual = await sha256Of(path, onHashProgress);
  if (actual !== expected.sha256) {
    throw new DownloadFailure({ code: 'HASH_MISMATCH', message: `The downloaded file’s sha256 (${actual.slice(0, 12)}…) differs from the hub’s (${expected.sha256.slice(0, 12)}…): the file is damaged or was tampered with. ${AGAIN}` });
  }
  return 'sha256';
}

function sha256Of(path: string, onProgress: (bytes: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let done = 0;
    createReadStream(path, { highWaterMark: 4 << 20 })
      .on('data', (chunk: Buffer | string) => {
        hash.update(chunk);
        done += chunk.length;
        onProgress(done);
      })
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
