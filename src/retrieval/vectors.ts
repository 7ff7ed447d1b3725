// The vector side of the search: one L2-normalised float32 row per unit in a
// flat array (saved as it is, read back as it is), cosine similarity as a dot
// product, exact top k over the units a filter lets through. A plan filter
// narrows it to that plan's rows (about a hundred dot products), so a question
// about one province is compared with that province's rows, not with the
// nearest rows of the hundred plans that say the same thing elsewhere.

export interface VectorHit {
  unit: number;
  /** Cosine similarity. */
  similarity: number;
}

export class FlatVectors {
  readonly size: number;

  constructor(
    readonly dims: number,
    /** size × dims, row u = unit u, each row of length 1 (or 0). */
    readonly data: Float32Array,
  ) {
    this.size = dims ? data.length / dims : 0;
  }

  /** Rows from vectors of any length (normalised here). */
  static fromRows(rows: ArrayLike<number>[], dims = rows[0]?.length ?? 0): FlatVectors {
    const data = new Float32Array(rows.length * dims);
    rows.forEach((r, u) => data.set(normalised(r, dims), u * dims));
    return new FlatVectors(dims, data);
  }

  similarity(q: Float32Array, u: number): number {
    const { data, dims } = this;
    let s = 0;
    const o = u * dims;
    for (let i = 0; i < dims; i++) s += q[i]! * data[o + i]!;
    return s;
  }

  /** The k most similar of `units` (every unit when omitted), most similar first; ties by unit index. */
  top(q: Float32Array, k: number, units?: Iterable<number>): VectorHit[] {
    const hits: VectorHit[] = [];
    let worst = -Infinity;
    const consider = (u: number) => {
      const s = this.similarity(q, u);
      if (hits.length >= k && s < worst) return;
      hits.push({ unit: u, similarity: s });
      if (hits.length >= 2 * k) {
        hits.sort(order);
        hits.length = k;
        worst = hits[k - 1]!.similarity;
      }
    };
    if (units) for (const u of units) consider(u);
    else for (let u = 0; u < this.size; u++) consider(u);
    hits.sort(order);
    return hits.slice(0, k);
  }
}

const order = (a: VectorHit, b: VectorHit) => b.similarity - a.similarity || a.unit - b.unit;

/** A vector of length 1 as float32 (zeros stay zeros). */
export function normalised(v: ArrayLike<number>, dims = v.length): Float32Array {
  let n = 0;
  for (let i = 0; i < dims; i++) n += (v[i] ?? 0) * (v[i] ?? 0);
  n = Math.sqrt(n) || 1;
  const out = new Float32Array(dims);
  for (let i = 0; i < dims; i++) out[i] = (v[i] ?? 0) / n;
  return out;
}
