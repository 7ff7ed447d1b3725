// One file of typed arrays and a JSON header: what the search index saves in
// DATA_DIR and reads back at start without parsing or rebuilding anything (the
// arrays are views over the file's bytes). Layout: "KHPK", header length
// (uint32 LE), header JSON, zero padding to 8 bytes, then each array at its
// offset (8-aligned).
import { readFileSync, renameSync, writeFileSync } from "node:fs";

export type PackArray = Int32Array | Uint32Array | Float64Array | Float32Array | Uint8Array | Uint16Array;

const TYPES = { Int32Array, Uint32Array, Float64Array, Float32Array, Uint8Array, Uint16Array } as const;
type TypeName = keyof typeof TYPES;

interface Header<M> {
  meta: M;
  arrays: { name: string; type: TypeName; length: number; offset: number }[];
}

const MAGIC = Buffer.from("KHPK");
const pad8 = (n: number) => (n + 7) & ~7;

export function writePack<M>(path: string, meta: M, arrays: Record<string, PackArray>): number {
  const entries = Object.entries(arrays);
  // offsets are relative to the start of the data block, which is 8-aligned
  const list: Header<M>["arrays"] = [];
  let at = 0;
  for (const [name, a] of entries) {
    list.push({ name, type: a.constructor.name as TypeName, length: a.length, offset: at });
    at = pad8(at + a.byteLength);
  }
  const header = Buffer.from(JSON.stringify({ meta, arrays: list } satisfies Header<M>), "utf8");
  const dataStart = pad8(8 + header.length);
  const out = Buffer.alloc(dataStart + at);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  entries.forEach(([, a], i) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, dataStart + list[i]!.offset));
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, path);
  return out.length;
}

/** The pack's meta and arrays (views over the file's bytes), or null when the file is missing or not a pack. */
export function readPack<M>(path: string): { meta: M; arrays: Record<string, PackArray> } | null {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    return null;
  }
  if (buf.length < 8 || !buf.subarray(0, 4).equals(MAGIC)) return null;
  const len = buf.readUInt32LE(4);
  const header = JSON.parse(buf.subarray(8, 8 + len).toString("utf8")) as Header<M>;
  const dataStart = pad8(8 + len);
  // a Buffer from readFileSync starts its own ArrayBuffer (files above the pool size), so 8-alignment holds;
  // a small file may sit in the pool: copy it to an aligned one
  let base = buf;
  if (buf.byteOffset % 8 !== 0) {
    const own = new Uint8Array(buf.length);
    own.set(buf);
    base = Buffer.from(own.buffer);
  }
  const arrays: Record<string, PackArray> = {};
  for (const a of header.arrays) {
    const T = TYPES[a.type];
    const start = base.byteOffset + dataStart + a.offset;
    if (start + a.length * T.BYTES_PER_ELEMENT > base.byteOffset + base.length) return null;
    arrays[a.name] = new T(base.buffer as ArrayBuffer, start, a.length);
  }
  return { meta: header.meta, arrays };
}
