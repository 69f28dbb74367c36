// A 10,000-line TypeScript module (plus the small module it imports) for figure 6, and model answers that edit one
// function near its end in each format applyModelEdit understands. Deterministic: same text on every run.

export const BIG_PATH = 'src/big.ts';
export const LINES = 10_000;
/** The function the edits and the context gathering aim at (near the end: the worst place for a search). */
export const TARGET_INDEX = 380;

const SHAPES_TS = `/** Geometry helpers used by big.ts. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Shape {
  readonly name: string;
  readonly points: readonly Point[];
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

export function area(shape: Shape): number {
  let sum = 0;
  const p = shape.points;
  for (let i = 0; i < p.length; i++) {
    const q = p[(i + 1) % p.length];
    sum += p[i].x * q.y - q.x * p[i].y;
  }
  return Math.abs(sum) / 2;
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
`;

const name = (i) => `measure${String(i).padStart(4, '0')}`;

/** One 25-line function (24 lines + a blank line). Lines like `let total = 0;` repeat across functions on purpose. */
function fn(i) {
  const prev = i > 0 ? name(i - 1) : 'area';
  const prevCall = i > 0 ? `${prev}(shape, limit - ${i % 7})` : 'area(shape)';
  return [
    `/** Step ${i}: sums the edge lengths of \`shape\` above ${i % 13}, capped at \`limit\`. */`,
    `export function ${name(i)}(shape: Shape, limit: number): number {`,
    '  let total = 0;',
    '  const pts = shape.points;',
    '  if (pts.length < 2) {',
    '    return 0;',
    '  }',
    '  for (let i = 1; i < pts.length; i++) {',
    `    const d = distance(pts[i - 1], pts[i]) * ${1 + (i % 5)};`,
    `    if (d > ${i % 13}) {`,
    '      total += d;',
    '    } else {',
    `      total += d / ${2 + (i % 3)};`,
    '    }',
    '  }',
    `  const base = ${prevCall};`,
    `  const scaled = total * ${(1 + i / 1000).toFixed(3)} + base / ${i + 2};`,
    `  if (scaled > limit * ${1 + (i % 4)}) {`,
    `    // ${shape(i)} grows too fast here: clamp it`,
    '    return clamp(scaled, 0, limit);',
    '  }',
    '  return scaled;',
    '}',
    '',
    '',
  ];
}

const shape = (i) => ['The triangle', 'The polygon', 'The path', 'The outline'][i % 4];

/** { files: { path: text }, target: { name, startLine, endLine (0-based, inclusive), text } } */
export function bigWorkspace() {
  const header = [
    '/**',
    ' * Generated for Ponder\'s benchmarks: a long module of small numeric functions over shapes.',
    ' * Every function depends on the one before it, so definitions reach back through the file.',
    ' */',
    "import { area, clamp, distance, type Shape } from './shapes';",
    '',
  ];
  const lines = [...header];
  let target;
  for (let i = 0; lines.length + 25 <= LINES - 1; i++) {
    const start = lines.length;
    const body = fn(i);
    lines.push(...body);
    if (i === TARGET_INDEX) target = { name: name(i), startLine: start + 1, endLine: start + body.length - 3 }; // doc comment → closing brace
  }
  while (lines.length < LINES) lines.push(`// padding line ${lines.length}`);
  const text = lines.join('\n') + '\n';
  target.text = lines.slice(target.startLine, target.endLine + 1).join('\n');
  return {
    files: {
      [BIG_PATH]: text,
      'src/shapes.ts': SHAPES_TS,
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ES2022', moduleResolution: 'bundler', strict: true, noEmit: true }, include: ['src'] }, null, 2) + '\n',
    },
    target,
  };
}

/** The edit every answer asks for: the `else` branch of the target function divides by 10 instead. */
export function editCases() {
  const { files, target } = bigWorkspace();
  const original = files[BIG_PATH];
  const oldLines = target.text.split('\n');
  const elseAt = oldLines.findIndex((l) => l.startsWith('      total += d / '));
  const newLines = oldLines.slice();
  newLines[elseAt] = '      total += d / 10;';
  const newText = newLines.join('\n');
  const expected = original.replace(target.text, newText);
  if (expected === original) throw new Error('big-file: the edit changes nothing');
  const range = { startLine: target.startLine, endLine: target.endLine };
  const ctx = (a, b) => oldLines.slice(a, b);
  const hunkStart = target.startLine + elseAt - 3; // 0-based first context line
  const before = ctx(elseAt - 3, elseAt);
  const after = ctx(elseAt + 1, elseAt + 4);
  const cases = [
    {
      id: 'block+range',
      what: 'fenced rewrite of the target function (what Ponder\'s edit tasks ask for), with the task\'s range',
      response: `The else branch now divides by 10.\n\n\`\`\`ts\n${newText}\n\`\`\``,
      options: { path: BIG_PATH, range },
    },
    {
      id: 'block',
      what: 'the same fenced rewrite with no range (an answer applied from the chat: located by matching)',
      response: `The else branch now divides by 10.\n\n\`\`\`ts\n${newText}\n\`\`\``,
      options: { path: BIG_PATH },
    },
    {
      id: 'search-replace',
      what: 'one SEARCH/REPLACE block (7 lines)',
      response: ['Here is the change:', '', BIG_PATH, '```ts', '<<<<<<< SEARCH', ...before, oldLines[elseAt], ...after, '=======', ...before, newLines[elseAt], ...after, '>>>>>>> REPLACE', '```'].join('\n'),
      options: { path: BIG_PATH },
    },
    {
      id: 'unified-diff',
      what: 'one unified-diff hunk',
      response: ['```diff', `--- a/${BIG_PATH}`, `+++ b/${BIG_PATH}`, `@@ -${hunkStart + 1},7 +${hunkStart + 1},7 @@`,
        ...before.map((l) => ` ${l}`), `-${oldLines[elseAt]}`, `+${newLines[elseAt]}`, ...after.map((l) => ` ${l}`), '```'].join('\n'),
      options: { path: BIG_PATH },
    },
  ];
  return { original, expected, target, oldText: target.text, newText, cases };
}
