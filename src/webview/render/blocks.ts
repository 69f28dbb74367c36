/**
 * Where a streaming markdown answer can be cut so that everything before the cut is complete blocks: the last
 * blank line outside a code fence. The part before it is rendered once; only the tail re-renders per frame.
 */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function stableBoundary(text: string, from = 0): number {
  let boundary = from;
  let fence: string | undefined;
  let pos = from;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break; // the last line is still being written
    const line = text.slice(pos, nl);
    const m = FENCE.exec(line);
    if (m) {
      const marker = m[1];
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    } else if (fence === undefined && line.trim() === '' && pos > from) {
      boundary = nl + 1;
    }
    pos = nl + 1;
  }
  return boundary;
}
