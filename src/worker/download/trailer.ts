/** Repairs one known flaw of node-llama-cpp's downloader, without loading node-llama-cpp (so tests can import it). */
import { open, stat } from 'node:fs/promises';

/**
 * node-llama-cpp's downloader (ipull) keeps its resume state as JSON after the file's last byte and truncates it at
 * the end — but a progress save racing the finish can leave that JSON behind. Strip exactly such a trailer (and
 * nothing else) so a good download is not rejected; sha256 and the header check still guard the content.
 */
export async function stripResumeTrailer(path: string, expectedBytes: number): Promise<boolean> {
  const size = (await stat(path)).size;
  const extra = size - expectedBytes;
  if (extra <= 0 || extra > 1 << 20) return false;
  const fh = await open(path, 'r+');
  try {
    const tail = Buffer.alloc(extra);
    await fh.read(tail, 0, extra, expectedBytes);
    // Saves of different lengths overwrite each other at the same offset: the trailer starts with one whole state.
    const text = tail.toString('latin1');
    for (let end = text.indexOf('}'); end >= 0; end = text.indexOf('}', end + 1)) {
      let state: unknown;
      try {
        state = JSON.parse(text.slice(0, end + 1));
      } catch {
        continue;
      }
      if (typeof state !== 'object' || state === null || !('chunks' in state) || !('chunkSize' in state)) return false;
      await fh.truncate(expectedBytes);
      return true;
    }
    return false;
  } finally {
    await fh.close();
  }
}
