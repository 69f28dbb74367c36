// Minimal GGUF v3 writer (Node.js standard library only).
//
// Layout: magic "GGUF", version 3, tensor count (u64), metadata kv count (u64), metadata key/values,
// tensor infos (name, n_dims, dims (ne0 first), type, offset), padding to `alignment`, tensor data
// (each tensor starting on an `alignment` boundary relative to the start of the data section).
//
// Tensor data is produced by a callback per block of rows, so multi-GB files stream to disk
// without being held in memory.

import { open } from 'node:fs/promises';

export const GGUF_TYPE = Object.freeze({
  UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7,
  STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12,
});

export const GGML_TYPE = Object.freeze({ F32: 0, F16: 1, Q8_0: 8 });

// Q8_0: blocks of 32 values = f16 scale + 32 int8 (34 bytes).
const Q8_BLOCK = 32;
const Q8_BYTES = 34;

const ALIGNMENT = 32;

/** Metadata value helpers: `kv.u32(5)`, `kv.str('x')`, `kv.arr(GGUF_TYPE.STRING, [...])`, ... */
export const kv = Object.freeze({
  u32: (v) => ({ type: GGUF_TYPE.UINT32, value: v }),
  i32: (v) => ({ type: GGUF_TYPE.INT32, value: v }),
  f32: (v) => ({ type: GGUF_TYPE.FLOAT32, value: v }),
  bool: (v) => ({ type: GGUF_TYPE.BOOL, value: v }),
  str: (v) => ({ type: GGUF_TYPE.STRING, value: v }),
  arr: (elemType, values) => ({ type: GGUF_TYPE.ARRAY, elemType, value: values }),
});

/** Growable little-endian byte buffer. */
class ByteSink {
  constructor(size = 1 << 16) {
    this.buf = Buffer.alloc(size);
    this.len = 0;
  }
  ensure(n) {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  u8(v) { this.ensure(1); this.buf.writeUInt8(v, this.len); this.len += 1; }
  u32(v) { this.ensure(4); this.buf.writeUInt32LE(v, this.len); this.len += 4; }
  i32(v) { this.ensure(4); this.buf.writeInt32LE(v, this.len); this.len += 4; }
  u64(v) { this.ensure(8); this.buf.writeBigUInt64LE(BigInt(v), this.len); this.len += 8; }
  f32(v) { this.ensure(4); this.buf.writeFloatLE(v, this.len); this.len += 4; }
  str(s) {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
  }
  pad(alignment) { while (this.len % alignment !== 0) this.u8(0); }
  bytes() { return this.buf.subarray(0, this.len); }
}

function writeScalar(sink, type, value) {
  switch (type) {
    case GGUF_TYPE.UINT32: sink.u32(value); break;
    case GGUF_TYPE.INT32: sink.i32(value); break;
    case GGUF_TYPE.FLOAT32: sink.f32(value); break;
    case GGUF_TYPE.BOOL: sink.u8(value ? 1 : 0); break;
    case GGUF_TYPE.STRING: sink.str(value); break;
    case GGUF_TYPE.UINT64: sink.u64(value); break;
    default: throw new Error(`unsupported GGUF metadata type ${type}`);
  }
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE 754 half-precision bits for a float (round to nearest even). */
export function toHalfBits(value) {
  f32Scratch[0] = value;
  const x = u32Scratch[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half += 1;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half += 1;
  return sign | half;
}

/**
 * A tensor description for `writeGguf`.
 * @typedef {object} TensorSpec
 * @property {string} name
 * @property {number[]} shape  ggml order: [ne0 (row length), ne1 (rows)] or [ne0]
 * @property {number} type     GGML_TYPE.F32, F16 or Q8_0 (ne0 divisible by 32)
 * @property {(row0: number, rows: number, out: Float32Array) => void} fill
 *   writes rows [row0, row0 + rows) (row-major, ne0 values each) into `out`
 */

function bytesFor(type, n) {
  if (type === GGML_TYPE.Q8_0) return (n / Q8_BLOCK) * Q8_BYTES;
  return n * (type === GGML_TYPE.F16 ? 2 : 4);
}

function tensorBytes(t) {
  if (t.type === GGML_TYPE.Q8_0 && t.shape[0] % Q8_BLOCK !== 0) throw new Error(`${t.name}: row not a multiple of 32`);
  return bytesFor(t.type, t.shape.reduce((a, b) => a * b, 1));
}

/** Quantizes `src` (length multiple of 32) into Q8_0 blocks in `out`. */
function quantizeQ8(src, out) {
  const i8 = new Int8Array(out.buffer, out.byteOffset, out.length);
  const u16 = new Uint16Array(out.buffer, out.byteOffset, out.length >>> 1); // byteOffset is 0 (Buffer.alloc)
  for (let b = 0, s = 0, o = 0; s < src.length; b++, s += Q8_BLOCK, o += Q8_BYTES) {
    let amax = 0;
    for (let i = 0; i < Q8_BLOCK; i++) {
      const a = Math.abs(src[s + i]);
      if (a > amax) amax = a;
    }
    const d = amax / 127;
    const inv = d ? 1 / d : 0;
    u16[o >>> 1] = toHalfBits(d);
    for (let i = 0; i < Q8_BLOCK; i++) i8[o + 2 + i] = Math.round(src[s + i] * inv);
  }
}

function alignUp(n, a = ALIGNMENT) {
  return Math.ceil(n / a) * a;
}

/**
 * Writes a GGUF v3 file.
 * @param {string} path
 * @param {Array<[string, {type: number, value: any, elemType?: number}]>} metadata
 * @param {TensorSpec[]} tensors
 * @returns {Promise<number>} bytes written
 */
export async function writeGguf(path, metadata, tensors) {
  const head = new ByteSink();
  head.u32(0x46554747); // "GGUF"
  head.u32(3);
  head.u64(tensors.length);
  head.u64(metadata.length);
  for (const [key, { type, value, elemType }] of metadata) {
    head.str(key);
    head.u32(type);
    if (type === GGUF_TYPE.ARRAY) {
      head.u32(elemType);
      head.u64(value.length);
      for (const v of value) writeScalar(head, elemType, v);
    } else {
      writeScalar(head, type, value);
    }
  }
  let offset = 0;
  const offsets = [];
  for (const t of tensors) {
    offsets.push(offset);
    head.str(t.name);
    head.u32(t.shape.length);
    for (const d of t.shape) head.u64(d);
    head.u32(t.type);
    head.u64(offset);
    offset = alignUp(offset + tensorBytes(t));
  }
  head.pad(ALIGNMENT);
  const dataStart = head.len;

  const fh = await open(path, 'w');
  try {
    await fh.write(head.bytes(), 0, head.len, 0);
    for (let i = 0; i < tensors.length; i++) {
      await writeTensorData(fh, tensors[i], dataStart + offsets[i]);
    }
    const total = dataStart + offset;
    await fh.truncate(total); // trailing alignment padding of the last tensor
    return total;
  } finally {
    await fh.close();
  }
}

const BLOCK_ELEMS = 1 << 20;

/** Writes one tensor's data (F32, F16 or Q8_0) at `position` of an open file. */
export async function writeTensorData(fh, t, position) {
  const rowLen = t.shape[0];
  const rows = t.shape.length > 1 ? t.shape.slice(1).reduce((a, b) => a * b, 1) : 1;
  const rowsPerBlock = Math.max(1, Math.floor(BLOCK_ELEMS / rowLen));
  const f32 = new Float32Array(rowsPerBlock * rowLen);
  const out = t.type === GGML_TYPE.F32
    ? Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength)
    : Buffer.alloc(bytesFor(t.type, rowsPerBlock * rowLen));
  const u16 = t.type === GGML_TYPE.F16 ? new Uint16Array(out.buffer, out.byteOffset, rowsPerBlock * rowLen) : null;
  for (let r = 0; r < rows; r += rowsPerBlock) {
    const n = Math.min(rowsPerBlock, rows - r);
    const view = f32.subarray(0, n * rowLen);
    view.fill(0);
    t.fill(r, n, view);
    if (u16) for (let i = 0; i < view.length; i++) u16[i] = toHalfBits(view[i]);
    else if (t.type === GGML_TYPE.Q8_0) quantizeQ8(view, out);
    const bytes = bytesFor(t.type, view.length);
    await fh.write(out, 0, bytes, position);
    position += bytes;
  }
}
