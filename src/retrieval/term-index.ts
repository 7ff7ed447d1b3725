// The word side of the search, in typed arrays: Okapi BM25 postings (document,
// term count) with documents numbered plan by plan, so a plan filter reads only
// that plan's stretch of each posting list (two binary searches), the kind filter
// is a byte per posting, and the top k are kept in a small heap instead of
// sorting every document. Scores are the same float64 expressions, summed in the
// same order, as the plain scorer in bm25.ts (k1 1.2, b 0.6, BM25+ style idf),
// so rankings do not move. A posting also says whether the word is one of the
// unit's coverage words (a word of its extra fields is a posting with count 0),
// which answers "does this unit hold this word" for coverage. Everything is saved
// as flat binary arrays and read back without rebuilding.
export interface TermHit {
  /** Unit index. */
  unit: number;
  score: number;
}

/** One unit's terms by global id: its distinct BM25 terms with their counts, its length, its coverage words. */
export interface UnitTerms {
  terms: Int32Array;
  counts: Int32Array;
  length: number;
  words: Int32Array;
}

export interface TermFilter {
  /** Plan ordinals allowed (undefined: every plan). */
  plans?: number[];
  /** Bit mask over kind codes allowed (undefined: every kind). */
  kindMask?: number;
}

/** The arrays an index is made of (what is saved). */
export interface TermIndexData {
  terms: string[];
  /** Posting list of term t: [postOff[t], postOff[t+1]). */
  postOff: Int32Array;
  /** Internal document numbers (plan by plan), ascending within a list. */
  postDoc: Int32Array;
  /** Low 15 bits: the term's BM25 count in the document (0: not a BM25 term there); bit 15: a coverage word of it. */
  postTf: Uint16Array;
  /** BM25 document frequency of each term (postings with a count). */
  df: Int32Array;
  /** k1 · (1 − b + b · length / average length), per internal document. */
  docNorm: Float64Array;
  /** Per term, the largest tf·(k1+1)/(tf + docNorm) of its postings: its score is at most idf times this. */
  maxFactor: Float64Array;
  /** Internal document → unit index, and back. */
  docUnit: Int32Array;
  unitDoc: Int32Array;
  /** Internal document → kind code. */
  docKind: Uint8Array;
  /** Plan p's documents: [planStart[p], planStart[p+1]). */
  planStart: Int32Array;
  avgLen: number;
}

const COVER = 0x8000;
/** Postings read to seed MaxScore's heap. */
const SEED_POSTINGS = 20_000;
/** Below this many postings in all, every posting is simply scored (TermIndex.maxScoreFrom). */
const MAXSCORE_FROM = 50_000;
const COUNT = 0x7fff;

const K1 = 1.2;
const B = 0.6;

function lowerBound(a: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** lowerBound from a cursor that is usually close: steps of 1, 2, 4, … then a binary search. */
function gallop(a: Int32Array, lo: number, hi: number, x: number): number {
  if (lo >= hi || a[lo]! >= x) return lo;
  let step = 1;
  let prev = lo;
  let at = lo + 1;
  while (at < hi && a[at]! < x) {
    prev = at;
    step *= 2;
    at = lo + step;
  }
  return lowerBound(a, prev + 1, Math.min(at + 1, hi), x);
}

/** Heap order: the root is the worst (`better(parent, child)` never holds). */
function siftUp(heap: number[], i: number, better: (a: number, b: number) => boolean): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!better(heap[p]!, heap[i]!)) break;
    [heap[p], heap[i]] = [heap[i]!, heap[p]!];
    i = p;
  }
}

/** Offer `d` to a heap of the `limit` best so far (its root the worst of them); false when it is not kept. */
function offer(heap: number[], d: number, limit: number, better: (a: number, b: number) => boolean): boolean {
  if (heap.length < limit) {
    heap.push(d);
    siftUp(heap, heap.length - 1, better);
  } else if (better(d, heap[0]!)) {
    heap[0] = d;
    siftDown(heap, 0, better);
  } else return false;
  return true;
}

function siftDown(heap: number[], i: number, better: (a: number, b: number) => boolean): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let w = i;
    if (l < heap.length && better(heap[w]!, heap[l]!)) w = l;
    if (r < heap.length && better(heap[w]!, heap[r]!)) w = r;
    if (w === i) return;
    [heap[w], heap[i]] = [heap[i]!, heap[w]!];
    i = w;
  }
}

export class TermIndex {
  /** Postings a search over every plan must have for MaxScore to be used (tests set it to 0). */
  static maxScoreFrom = MAXSCORE_FROM;
  readonly size: number;
  private readonly ids = new Map<string, number>();
  // scratch space for one search at a time (searches are synchronous)
  private readonly acc: Float64Array;
  private readonly stamp: Int32Array;
  private readonly touched: Int32Array;
  private gen = 0;

  constructor(readonly data: TermIndexData) {
    this.size = data.docUnit.length;
    data.terms.forEach((t, i) => this.ids.set(t, i));
    this.acc = new Float64Array(this.size);
    this.stamp = new Int32Array(this.size);
    this.touched = new Int32Array(this.size);
  }

  /**
   * Build from the units' terms (global term ids). `unitPlan[u]` is the plan ordinal of unit u
   * (0 … plans−1), `unitKind[u]` its kind code.
   */
  static fromUnits(terms: string[], units: UnitTerms[], unitPlan: Int32Array, unitKind: Uint8Array, plans: number): TermIndex {
    const n = units.length;
    // documents plan by plan, in unit order within a plan
    const planStart = new Int32Array(plans + 1);
    for (let u = 0; u < n; u++) planStart[unitPlan[u]! + 1]!++;
    for (let p = 0; p < plans; p++) planStart[p + 1]! += planStart[p]!;
    const next = planStart.slice(0, plans);
    const docUnit = new Int32Array(n);
    const unitDoc = new Int32Array(n);
    for (let u = 0; u < n; u++) {
      const d = next[unitPlan[u]!]!++;
      docUnit[d] = u;
      unitDoc[u] = d;
    }
    const docKind = new Uint8Array(n);
    for (let d = 0; d < n; d++) docKind[d] = unitKind[docUnit[d]!]!;
    let totalLen = 0;
    for (const a of units) totalLen += a.length;
    const avgLen = n ? totalLen / n : 0;
    const docNorm = new Float64Array(n);
    // the same expression as Bm25.search's denominator
    for (let d = 0; d < n; d++) docNorm[d] = K1 * (1 - B + (B * units[docUnit[d]!]!.length) / (avgLen || 1));
    // each unit's postings: its BM25 terms (count, and whether a coverage word), then coverage-only words
    const T = terms.length;
    const df = new Int32Array(T);
    const listLen = new Int32Array(T);
    const mark = new Int32Array(T).fill(-1);
    for (let u = 0; u < n; u++) {
      const a = units[u]!;
      for (const id of a.terms) {
        df[id]!++;
        listLen[id]!++;
        mark[id] = u;
      }
      for (const id of a.words) {
        if (mark[id] === u) continue;
        listLen[id]!++;
        mark[id] = u;
      }
    }
    const postOff = new Int32Array(T + 1);
    for (let t = 0; t < T; t++) postOff[t + 1] = postOff[t]! + listLen[t]!;
    const postDoc = new Int32Array(postOff[T]!);
    const postTf = new Uint16Array(postOff[T]!);
    const fill = postOff.slice(0, T);
    const at = new Int32Array(T).fill(-1);
    mark.fill(-1);
    for (let d = 0; d < n; d++) {
      const a = units[docUnit[d]!]!;
      for (let i = 0; i < a.terms.length; i++) {
        const id = a.terms[i]!;
        const k = fill[id]!++;
        postDoc[k] = d;
        postTf[k] = Math.min(COUNT, a.counts[i]!);
        mark[id] = d;
        at[id] = k;
      }
      for (const id of a.words) {
        if (mark[id] === d) postTf[at[id]!]! |= COVER;
        else {
          const k = fill[id]!++;
          postDoc[k] = d;
          postTf[k] = COVER;
          mark[id] = d;
          at[id] = k;
        }
      }
    }
    const maxFactor = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      let m = 0;
      for (let k = postOff[t]!; k < postOff[t + 1]!; k++) {
        const tf = postTf[k]! & COUNT;
        if (tf) m = Math.max(m, (tf * (K1 + 1)) / (tf + docNorm[postDoc[k]!]!));
      }
      maxFactor[t] = m;
    }
    return new TermIndex({ terms, postOff, postDoc, postTf, df, docNorm, maxFactor, docUnit, unitDoc, docKind, planStart, avgLen });
  }

  termId(term: string): number | undefined {
    return this.ids.get(term);
  }

  /** Documents holding the term as a BM25 term (0 for unknown terms and coverage-only words). */
  df(id: number): number {
    return this.data.df[id]!;
  }

  has(term: string): boolean {
    const id = this.ids.get(term);
    return id !== undefined && this.df(id) > 0;
  }

  /** Inverse document frequency (BM25+ style, never negative); 0 for unknown terms. */
  idf(term: string): number {
    const id = this.ids.get(term);
    const df = id === undefined ? 0 : this.df(id);
    if (df === 0) return 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** idf a term would have if it occurred in one document: the weight of a word no record has. */
  get maxIdf(): number {
    return Math.log(1 + (this.size - 0.5) / 1.5);
  }

  /** True when unit u's coverage words hold term id `id`. */
  holds(u: number, id: number): boolean {
    const { postOff, postDoc, postTf } = this.data;
    const d = this.data.unitDoc[u]!;
    const end = postOff[id + 1]!;
    const k = lowerBound(postDoc, postOff[id]!, end, d);
    return k < end && postDoc[k] === d && (postTf[k]! & COVER) !== 0;
  }

  /** Units of the plans (ordinals) that pass the kind mask, in internal order. */
  *unitsOf(filter: TermFilter): Generator<number> {
    const { planStart, docUnit, docKind } = this.data;
    const ranges = filter.plans ? filter.plans.map((p) => [planStart[p]!, planStart[p + 1]!] as const) : [[0, this.size] as const];
    for (const [lo, hi] of ranges) {
      for (let d = lo; d < hi; d++) if (filter.kindMask === undefined || filter.kindMask & (1 << docKind[d]!)) yield docUnit[d]!;
    }
  }

  /** How many units the filter lets through (without walking them when there is no kind mask). */
  countOf(filter: TermFilter): number {
    const { planStart } = this.data;
    if (filter.kindMask === undefined) return filter.plans ? filter.plans.reduce((n, p) => n + planStart[p + 1]! - planStart[p]!, 0) : this.size;
    let n = 0;
    for (const _ of this.unitsOf(filter)) n++;
    return n;
  }

  /** The `limit` best units for the terms (each distinct term once), best first; ties by unit index. */
  search(queryTerms: string[], filter: TermFilter, limit: number): TermHit[] {
    if (limit <= 0) return [];
    const N = this.size;
    const terms: { id: number; idf: number }[] = [];
    const seen = new Set<string>();
    for (const t of queryTerms) {
      if (seen.has(t)) continue;
      seen.add(t);
      const id = this.ids.get(t);
      if (id === undefined) continue;
      const df = this.data.df[id]!;
      if (df === 0) continue;
      terms.push({ id, idf: Math.log(1 + (N - df + 0.5) / (df + 0.5)) });
    }
    // Over every plan, the lists of common syllables are long: skip the documents that cannot reach the top (MaxScore).
    let postings = 0;
    for (const t of terms) postings += this.data.postOff[t.id + 1]! - this.data.postOff[t.id]!;
    if (!filter.plans && terms.length > 1 && postings >= TermIndex.maxScoreFrom) return this.maxScore(terms, filter.kindMask, limit);
    return this.exhaustive(terms, filter, limit);
  }

  /** Every posting of every term scored (what a plan filter leaves is short). */
  private exhaustive(terms: { id: number; idf: number }[], filter: TermFilter, limit: number): TermHit[] {
    const { postOff, postDoc, postTf, docNorm, docKind, planStart } = this.data;
    const { acc, stamp, touched } = this;
    if (++this.gen === 0x7fffffff) {
      stamp.fill(0);
      this.gen = 1;
    }
    const g = this.gen;
    let n = 0;
    const mask = filter.kindMask;
    const plans = filter.plans ? [...filter.plans].sort((a, b) => a - b) : null;
    for (const { id, idf } of terms) {
      const start = postOff[id]!;
      const end = postOff[id + 1]!;
      const walk = (lo: number, hi: number) => {
        for (let i = lo; i < hi; i++) {
          const tf = postTf[i]! & COUNT;
          if (tf === 0) continue;
          const d = postDoc[i]!;
          if (mask !== undefined && !(mask & (1 << docKind[d]!))) continue;
          if (stamp[d] !== g) {
            stamp[d] = g;
            acc[d] = 0;
            touched[n++] = d;
          }
          // the same expression, in the same order, as Bm25.search
          acc[d]! += (idf * tf * (K1 + 1)) / (tf + docNorm[d]!);
        }
      };
      if (!plans) walk(start, end);
      else {
        let from = start;
        for (const p of plans) {
          const lo = lowerBound(postDoc, from, end, planStart[p]!);
          const hi = lowerBound(postDoc, lo, end, planStart[p + 1]!);
          walk(lo, hi);
          from = hi;
        }
      }
    }
    return this.best(Array.from(touched.subarray(0, n)), limit);
  }

  /**
   * MaxScore (Turtle and Flood): documents in order, terms by their highest possible score;
   * once the k-th best score so far exceeds what the weakest terms can give together, a document
   * only they hold cannot enter, and those lists are only looked up, never walked. Exact: the
   * top k (and their scores, summed in query order) are those of the exhaustive walk.
   */
  private maxScore(terms: { id: number; idf: number }[], mask: number | undefined, limit: number): TermHit[] {
    const { postOff, postDoc, postTf, docNorm, docKind, docUnit, maxFactor } = this.data;
    const acc = this.acc;
    const m = terms.length;
    const SAFE = 1 + 1e-9;
    const ub = terms.map((t) => t.idf * maxFactor[t.id]! * SAFE);
    const order = [...terms.keys()].sort((a, b) => ub[a]! - ub[b]!);
    const cum = new Float64Array(m);
    order.forEach((i, j) => (cum[j] = (j ? cum[j - 1]! : 0) + ub[i]!));
    const pos = terms.map((t) => postOff[t.id]!);
    const end = terms.map((t) => postOff[t.id + 1]!);
    const valid = (k: number) => (postTf[k]! & COUNT) !== 0 && (mask === undefined || (mask & (1 << docKind[postDoc[k]!]!)) !== 0);
    const skip = (i: number) => {
      let k = pos[i]!;
      const e = end[i]!;
      while (k < e && !valid(k)) k++;
      pos[i] = k;
    };
    for (let i = 0; i < m; i++) skip(i);
    const contrib = new Float64Array(m);
    const better = (a: number, b: number) => acc[a]! > acc[b]! || (acc[a] === acc[b] && docUnit[a]! < docUnit[b]!);
    /** A document's exact score (every term looked up, summed in query order), or -1 when no term holds it. */
    const exact = (d: number) => {
      let score = 0;
      let any = false;
      for (let i = 0; i < m; i++) {
        const lo = postOff[terms[i]!.id]!;
        const e = postOff[terms[i]!.id + 1]!;
        const k = lowerBound(postDoc, lo, e, d);
        if (k < e && postDoc[k] === d && valid(k)) {
          const tf = postTf[k]! & COUNT;
          score += (terms[i]!.idf * tf * (K1 + 1)) / (tf + docNorm[d]!);
          any = true;
        }
      }
      return any ? score : -1;
    };
    // A good k-th score from the start: the documents of the most telling terms (the shortest
    // lists first), scored exactly, fill the heap before the walk in document order begins.
    const heap: number[] = [];
    const seeds = new Set<number>();
    {
      const { stamp, touched } = this;
      if (++this.gen === 0x7fffffff) {
        stamp.fill(0);
        this.gen = 1;
      }
      const g = this.gen;
      let n = 0;
      let budget = SEED_POSTINGS;
      for (let j = m - 1; j >= 0 && budget > 0; j--) {
        const i = order[j]!;
        const lo = postOff[terms[i]!.id]!;
        const e = postOff[terms[i]!.id + 1]!;
        if (e - lo > budget && n >= limit) break;
        budget -= e - lo;
        for (let k = lo; k < e; k++) {
          if (!valid(k)) continue;
          const d = postDoc[k]!;
          if (stamp[d] !== g) {
            stamp[d] = g;
            acc[d] = 0;
            touched[n++] = d;
          }
          acc[d]! += ub[i]!;
        }
      }
      // the `limit` documents with the most of those terms (a min-heap on that partial score)
      const byPartial = (a: number, b: number) => acc[a]! > acc[b]! || (acc[a] === acc[b] && a < b);
      const pick: number[] = [];
      for (let t = 0; t < n; t++) offer(pick, touched[t]!, limit, byPartial);
      const scores = pick.map((d) => exact(d));
      pick.forEach((d, t) => {
        acc[d] = scores[t]!;
        heap.push(d);
        siftUp(heap, heap.length - 1, better);
        seeds.add(d);
      });
    }
    let theta = heap.length >= limit ? acc[heap[0]!]! : -Infinity;
    let firstEss = 0;
    while (firstEss < m && cum[firstEss]! * SAFE < theta) firstEss++;
    for (;;) {
      let d = Infinity;
      for (let j = firstEss; j < m; j++) {
        const i = order[j]!;
        if (pos[i]! < end[i]! && postDoc[pos[i]!]! < d) d = postDoc[pos[i]!]!;
      }
      if (d === Infinity) break;
      contrib.fill(0);
      let partial = 0;
      for (let j = firstEss; j < m; j++) {
        const i = order[j]!;
        const k = pos[i]!;
        if (k < end[i]! && postDoc[k] === d) {
          const tf = postTf[k]! & COUNT;
          const c = (terms[i]!.idf * tf * (K1 + 1)) / (tf + docNorm[d]!);
          contrib[i] = c;
          partial += c;
          pos[i] = k + 1;
          skip(i);
        }
      }
      let pruned = false;
      for (let j = firstEss - 1; j >= 0; j--) {
        if (heap.length >= limit && (partial + cum[j]!) * SAFE < theta) {
          pruned = true;
          break;
        }
        const i = order[j]!;
        const k = gallop(postDoc, pos[i]!, end[i]!, d);
        pos[i] = k;
        if (k < end[i]! && postDoc[k] === d && valid(k)) {
          const tf = postTf[k]! & COUNT;
          const c = (terms[i]!.idf * tf * (K1 + 1)) / (tf + docNorm[d]!);
          contrib[i] = c;
          partial += c;
        }
      }
      if (pruned || seeds.has(d)) continue;
      // the exhaustive walk's sum: term by term in query order
      let score = 0;
      for (let i = 0; i < m; i++) if (contrib[i]) score += contrib[i]!;
      acc[d] = score;
      if (!offer(heap, d, limit, better)) continue;
      if (heap.length >= limit) {
        theta = acc[heap[0]!]!;
        while (firstEss < m && cum[firstEss]! * SAFE < theta) firstEss++;
      }
    }
    return this.best(heap, limit);
  }

  /** The `limit` best of these documents (their scores in acc), best first. */
  private best(docs: number[], limit: number): TermHit[] {
    const { acc } = this;
    const { docUnit } = this.data;
    // better = higher score, then lower unit index
    const better = (a: number, b: number) => acc[a]! > acc[b]! || (acc[a] === acc[b] && docUnit[a]! < docUnit[b]!);
    let top: number[];
    if (docs.length <= limit * 2) top = docs;
    else {
      // a min-heap of the `limit` best so far (its root the worst of them)
      const heap: number[] = [];
      for (const d of docs) offer(heap, d, limit, better);
      top = heap;
    }
    top.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
    return top.slice(0, limit).map((d) => ({ unit: docUnit[d]!, score: acc[d]! }));
  }
}
