// Okapi BM25 over pre-analysed term lists. Fields are handled by the caller
// (a unit's name terms can be repeated to weigh more); this is the plain scorer.

export interface Bm25Hit {
  doc: number;
  score: number;
}

export class Bm25 {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private avgLen = 0;
  private totalLen = 0;

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.6,
  ) {}

  get size(): number {
    return this.lengths.length;
  }

  add(terms: string[]): number {
    const doc = this.lengths.length;
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let list = this.postings.get(t);
      if (!list) this.postings.set(t, (list = []));
      list.push({ doc, tf: n });
    }
    this.lengths.push(terms.length);
    this.totalLen += terms.length;
    this.avgLen = this.totalLen / this.lengths.length;
    return doc;
  }

  /** Inverse document frequency (BM25+ style, never negative); 0 for unknown terms. */
  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    if (df === 0) return 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** idf a term would have if it occurred in one document: the weight of a word no record has. */
  get maxIdf(): number {
    return Math.log(1 + (this.size - 0.5) / 1.5);
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  search(queryTerms: string[], opts: { limit?: number; filter?: (doc: number) => boolean } = {}): Bm25Hit[] {
    const scores = new Map<number, number>();
    const seen = new Set<string>();
    for (const t of queryTerms) {
      if (seen.has(t)) continue;
      seen.add(t);
      const list = this.postings.get(t);
      if (!list) continue;
      const idf = this.idf(t);
      for (const { doc, tf } of list) {
        if (opts.filter && !opts.filter(doc)) continue;
        const len = this.lengths[doc]!;
        const s = (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * len) / (this.avgLen || 1)));
        scores.set(doc, (scores.get(doc) ?? 0) + s);
      }
    }
    const hits = [...scores].map(([doc, score]) => ({ doc, score }));
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return opts.limit ? hits.slice(0, opts.limit) : hits;
  }
}
