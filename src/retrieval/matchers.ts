// Phrase matchers over a question: which agencies and which plans it names.
// Names and aliases are compared as folded, abbreviation-expanded syllables, so
// "so khcn", "Sở KH&CN" and "Sở Khoa học và Công nghệ" are the same mention.
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import { phraseKey } from "./analyzer.js";

export interface Mention {
  /** Agency id or plan id. */
  id: string;
  /** Syllable span in the question (expanded syllables). */
  start: number;
  end: number;
  text: string;
}

interface TrieNode {
  id?: string;
  next?: Map<string, TrieNode>;
}

/**
 * Longest-match phrase dictionary over syllable sequences: a trie of syllables, so a match walks only
 * as far as some phrase goes (a hundred plans register tens of thousands of agency phrases).
 */
export class PhraseMatcher {
  private readonly dict = new Map<string, string>();
  private readonly root: TrieNode = {};

  /** Register a phrase; the first id registered for a key wins. */
  add(phrase: string, id: string): void {
    this.addKey(phraseKey(phrase), id);
  }

  /** Register a phrase already turned into its key (`phraseKey`). */
  addKey(key: string, id: string): void {
    if (!key || this.dict.has(key)) return;
    this.dict.set(key, id);
    let node = this.root;
    for (const syl of key.split(" ")) {
      node.next ??= new Map();
      let child = node.next.get(syl);
      if (!child) node.next.set(syl, (child = {}));
      node = child;
    }
    node.id = id;
  }

  has(phrase: string): boolean {
    return this.dict.has(phraseKey(phrase));
  }

  /** Whether some phrase starts with this syllable (a cheap test before matching a long text). */
  opens(syllable: string): boolean {
    return this.root.next?.has(syllable) ?? false;
  }

  /**
   * Non-overlapping mentions, longest first, left to right ("và" between syllables is skipped).
   * `sylls` must come from phraseKey-style syllables. With `prefix`, only the mentions that follow
   * one another from the first syllable.
   */
  match(sylls: string[], opts: { prefix?: boolean } = {}): Mention[] {
    const out: Mention[] = [];
    const s: string[] = [];
    const pos: number[] = [];
    sylls.forEach((x, i) => {
      if (x !== "va") {
        s.push(x);
        pos.push(i);
      }
    });
    for (let i = 0; i < s.length; ) {
      let node: TrieNode | undefined = this.root;
      let end = -1;
      let id: string | undefined;
      for (let j = i; j < s.length; j++) {
        node = node.next?.get(s[j]!);
        if (!node) break;
        if (node.id) [end, id] = [j, node.id];
      }
      if (id !== undefined) {
        out.push({ id, start: pos[i]!, end: pos[end]! + 1, text: s.slice(i, end + 1).join(" ") });
        i = end + 1;
      } else if (opts.prefix) break;
      else i++;
    }
    return out;
  }
}

const PLACE_WORDS = "tinh|thanh pho|tp|phuong|xa|huyen|quan|thi xa|dac khu";

/** "… tỉnh", "… phường Đa Mai", "… Bắc Ninh": the place an agency's name ends with, for the plans' own places. */
function localityTail(kb: KnowledgeIndex): RegExp {
  const places = [...new Set(kb.plans.map((p) => phraseKey(p.locality)).filter(Boolean))].map((x) => x.replace(/^(?:tinh|thanh pho|tp|phuong|xa|huyen|quan) /, ""));
  const named = places.length ? `(?: (?:${places.join("|")}))?|${places.join("|")}` : "";
  return new RegExp(`\\s(?:(?:${PLACE_WORDS})${named})$`);
}

/** Agencies of the knowledge base: canonical names, aliases, and every name as written in a record. */
export function agencyMatcher(kb: KnowledgeIndex): { matcher: PhraseMatcher; names: Map<string, string> } {
  const m = new PhraseMatcher();
  const names = new Map<string, string>();
  const phrases: [string, string, boolean][] = [];
  for (const a of kb.agencies) {
    names.set(a.id, a.canonical);
    // A collective is named by its whole name only ("Đảng ủy các xã, phường"), never by a part of it.
    if (a.isGroup && phraseKey(a.canonical).split(" ").length < 4) continue;
    for (const n of [a.canonical, ...a.aliases, ...(a.formerly ?? [])]) phrases.push([n, a.id, true]);
  }
  const keys = new Map<string, string>();
  const keyOf = (p: string) => {
    let k = keys.get(p);
    if (k === undefined) keys.set(p, (k = phraseKey(p)));
    return k;
  };
  const refs = [
    ...kb.tasks.flatMap((t) => [...t.leadAgencies, ...t.coordinatorAgencies]),
    ...kb.indicators.flatMap((i) => i.leadAgencies),
    ...kb.duties.flatMap((d) => d.agencies),
  ];
  const pushed = new Map<string, Set<string>>();
  const once = (p: string, id: string) => {
    let ps = pushed.get(id);
    if (!ps) pushed.set(id, (ps = new Set()));
    if (ps.has(p)) return;
    ps.add(p);
    phrases.push([p, id, true]);
  };
  for (const r of refs) {
    if (!names.has(r.id)) names.set(r.id, r.canonical);
    if (!r.isAgency || (r.isGroup && keyOf(r.text).split(" ").length < 4)) continue;
    once(r.canonical, r.id);
    once(r.text, r.id);
  }
  // A hundred plans name the same agencies over and over: each phrase once (the first id stays first), each key computed once.
  const seen = new Map<string, Set<string>>();
  const unique = phrases.filter(([p, id]) => {
    let ps = seen.get(id);
    if (!ps) seen.set(id, (ps = new Set()));
    if (ps.has(p)) return false;
    ps.add(p);
    return true;
  });
  for (const [p, id] of unique) m.addKey(keyOf(p), id);
  // A collective is also named without its "các" and by each of its comma-joined parts, when these are long
  // enough to name it alone ("Các Đoàn đại biểu Quốc hội, các đại biểu Quốc hội" ← "đoàn ĐBQH").
  for (const a of kb.agencies.filter((x) => x.isGroup)) {
    for (const part of a.canonical.split(/[,;]/)) {
      const key = phraseKey(part).replace(/^cac\s+/, "");
      if (key.split(" ").length >= 4) m.add(key, a.id);
    }
  }
  // "Tổ đảng ở Thường trực Ủy ban Kinh tế" is also called "Ủy ban Kinh tế", "Thường trực Ủy ban Kinh tế".
  for (const [p, id] of unique) {
    const key = keyOf(p);
    const short = key.replace(/^to dang o\s+/, "");
    if (short !== key) {
      m.add(short, id);
      const bare = short.replace(/^thuong truc\s+/, "");
      if (bare !== short && bare.split(" ").length >= 3) m.add(bare, id);
    }
  }
  // Variants without the locality tail ("Công an tỉnh" → "Công an"), only where no other agency owns them.
  const tail = localityTail(kb);
  for (const [p, id] of unique) {
    const key = keyOf(p);
    const short = key.replace(tail, "");
    if (short !== key && short.split(" ").length >= 2) m.add(short, id);
  }
  return { matcher: m, names };
}

/** Plans named by their aliases, issuer, locality or code. */
export function planMatcher(kb: KnowledgeIndex): PhraseMatcher {
  const m = new PhraseMatcher();
  for (const p of kb.plans) {
    for (const a of p.aliases) m.add(a, p.id);
  }
  for (const p of kb.plans) {
    m.add(p.shortName, p.id);
    m.add(p.issuer, p.id);
    if (p.number) m.add(p.number, p.id);
  }
  return m;
}
