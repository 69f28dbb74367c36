// Reads a GGUF file's tensor layout and rewrites one tensor's data in place: a perturbed draft differs from its base
// only in token_embd (see vocab.mjs perturb), so the drafts of a big model are one quantized base plus a rewritten
// token_embd each, instead of one llama-quantize run each.
import { open } from 'node:fs/promises';
import { GGUF_TYPE, writeTensorData } from './gguf-writer.mjs';

const SCALAR_BYTES = { [GGUF_TYPE.UINT8]: 1, [GGUF_TYPE.INT8]: 1, [GGUF_TYPE.UINT16]: 2, [GGUF_TYPE.INT16]: 2, [GGUF_TYPE.UINT32]: 4,
  [GGUF_TYPE.INT32]: 4, [GGUF_TYPE.FLOAT32]: 4, [GGUF_TYPE.BOOL]: 1, [GGUF_TYPE.UINT64]: 8, [GGUF_TYPE.INT64]: 8, [GGUF_TYPE.FLOAT64]: 8 };

/** { tensors: Map<name, {shape, type, offset}>, dataStart } of a GGUF v3 file (reads only its header). */
export async function readGgufLayout(path) {
  const fh = await open(path, 'r');
  try {
    let buf = Buffer.alloc(0);
    let pos = 0;
    const need = async (n) => {
      if (pos + n <= buf.length) return;
      const more = Buffer.alloc(Math.max(n, 16 << 20));
      const { bytesRead } = await fh.read(more, 0, more.length, buf.length);
      buf = Buffer.concat([buf, more.subarray(0, bytesRead)]);
      if (pos + n > buf.length) throw new Error(`${path}: truncated GGUF header`);
    };
    const u32 = async () => { await need(4); pos += 4; return buf.readUInt32LE(pos - 4); };
    const u64 = async () => { await need(8); pos += 8; return Number(buf.readBigUInt64LE(pos - 8)); };
    const str = async () => { const n = await u64(); await need(n); pos += n; return buf.toString('utf8', pos - n, pos); };
    const skip = async (type) => {
      if (type === GGUF_TYPE.STRING) return void await str();
      if (type === GGUF_TYPE.ARRAY) {
        const elem = await u32();
        const n = await u64();
        if (elem === GGUF_TYPE.STRING || elem === GGUF_TYPE.ARRAY) for (let i = 0; i < n; i++) await skip(elem);
        else { await need(n * SCALAR_BYTES[elem]); pos += n * SCALAR_BYTES[elem]; }
        return;
      }
      await need(SCALAR_BYTES[type]);
      pos += SCALAR_BYTES[type];
    };
    if ((await u32()) !== 0x46554747) throw new Error(`${path}: not a GGUF file`);
    if ((await u32()) !== 3) throw new Error(`${path}: not GGUF v3`);
    const nTensors = await u64();
    const nKv = await u64();
    let alignment = 32;
    for (let i = 0; i < nKv; i++) {
      const key = await str();
      const type = await u32();
      if (key === 'general.alignment' && type === GGUF_TYPE.UINT32) alignment = await u32();
      else await skip(type);
    }
    const tensors = new Map();
    for (let i = 0; i < nTensors; i++) {
      const name = await str();
      const dims = await u32();
      const shape = [];
      for (let d = 0; d < dims; d++) shape.push(await u64());
      tensors.set(name, { shape, type: await u32(), offset: await u64() });
    }
    return { tensors, dataStart: Math.ceil(pos / alignment) * alignment };
  } finally {
    await fh.close();
  }
}

/** Overwrites the data of `tensor` (a TensorSpec with fill) in `path`; its name, shape and type must match the file's. */
export async function rewriteTensor(path, tensor) {
  const { tensors, dataStart } = await readGgufLayout(path);
  const t = tensors.get(tensor.name);
  if (!t) throw new Error(`${path}: no tensor ${tensor.name}`);
  if (t.type !== tensor.type || t.shape.join() !== tensor.shape.join()) {
    throw new Error(`${path}: ${tensor.name} is type ${t.type} [${t.shape}] in the file, not ${tensor.type} [${tensor.shape}]`);
  }
  const fh = await open(path, 'r+');
  try {
    await writeTensorData(fh, tensor, dataStart + t.offset);
  } finally {
    await fh.close();
  }
}
