// Which plans a question names: by issuer ("UBND tỉnh Bắc Ninh", "Đảng đoàn
// Quốc hội"), number ("QĐ 2820", "Kế hoạch 3260", "32-KH/TU"), place ("TP HCM",
// "phường Đa Mai", "Lai Châu"), code or alias — from the plans' own facts, so a
// plan nobody described is found by what its document says.
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Plan } from "../../knowledge/types.js";
import { phraseKey } from "../../retrieval/analyzer.js";
import { PhraseMatcher, type Mention } from "../../retrieval/matchers.js";
import { fold } from "../../text/vietnamese.js";
import { FOREIGN_PLACES } from "./vocabulary.js";

/** Words that say what kind of place follows; a place is named with or without them. */
const PLACE_PREFIX = /^(?:tinh|thanh pho|tp|phuong|xa|huyen|quan|thi xa|dac khu)\s+/;

/** Everyday names of places whose official name people shorten. */
const PLACE_VARIANTS: Record<string, string[]> = {
  "ho chi minh": ["hcm", "tp hcm", "tphcm", "thanh pho hcm", "sai gon", "tp ho chi minh", "ho chi minh city"],
  "ha noi": ["hn", "tp ha noi", "thu do ha noi"],
  "da nang": ["tp da nang"],
  "hai phong": ["tp hai phong"],
  "can tho": ["tp can tho"],
};

/** Phrases that name an issuing body without its place ("tỉnh ủy", "UBND tỉnh"); only with a place or alone when one plan has it. */
function issuerForms(issuer: string): string[] {
  const f = phraseKey(issuer);
  if (!f) return [];
  const forms = new Set([f]);
  // "ban thuong vu dang uy phuong da mai" → also "dang uy phuong da mai"
  const noBoard = f.replace(/^ban (?:thuong vu|chap hanh)\s+/, "");
  forms.add(noBoard);
  return [...forms].filter((x) => x.split(" ").length >= 2);
}

/** "2820/QĐ-UBND" → "2820"; "3260-KH/ĐĐQH15" → "3260"; "32-KH/TU" → "32". */
export function numberDigits(number: string | null): string | undefined {
  const m = /^(\d{1,5})/.exec(number ?? "");
  return m?.[1];
}

export interface ScopeMatch {
  plans: string[];
  /** Syllable spans that named them (to leave them out of the topic), with what kind of name each is. */
  spans: (Mention & { kind: PhraseKind })[];
}

export interface ScopeMatcher {
  match(sylls: string[]): ScopeMatch;
  /** The places the plans cover, folded ("bac ninh", "ho chi minh"). */
  readonly places: ReadonlySet<string>;
}

export function placeKey(locality: string): string {
  return phraseKey(locality).replace(PLACE_PREFIX, "");
}

/** place: a locality; name: an issuer with its place, a number, a code, an alias; bare: an issuer without its place ("Tỉnh ủy", "UBND tỉnh"). */
type PhraseKind = "place" | "name" | "bare";

export function createScopeMatcher(kb: KnowledgeIndex): ScopeMatcher {
  const byPhrase = new Map<string, { kind: PhraseKind; plans: Set<string> }>();
  const add = (phrase: string, plan: Plan, kind: PhraseKind) => {
    const k = phrase.trim();
    if (!k) return;
    const e = byPhrase.get(k) ?? { kind, plans: new Set<string>() };
    if (kind === "name" || (kind === "bare" && e.kind === "place")) e.kind = kind;
    e.plans.add(plan.id);
    byPhrase.set(k, e);
  };
  const places = new Set<string>();
  for (const p of kb.plans) {
    // An alias that is only the place ("bac ninh", "tinh bac ninh") names the place, not one plan.
    const placeOf = p.locality ? placeKey(p.locality) : "";
    for (const a of p.aliases) {
      const k = phraseKey(a);
      add(k, p, placeOf && k.replace(/^(?:tinh|thanh pho|tp|phuong|xa)\s+/, "") === placeOf ? "place" : "name");
    }
    for (const f of issuerForms(p.issuer)) add(f, p, "name");
    if (p.locality) {
      const place = placeKey(p.locality);
      places.add(place);
      add(place, p, "place");
      add(phraseKey(p.locality), p, "place");
      for (const v of PLACE_VARIANTS[place] ?? []) add(v, p, "place");
      // The issuing body without its place ("UBND tỉnh", "Đảng ủy phường"): names every plan of that kind of issuer.
      const bare = phraseKey(p.issuer).replace(new RegExp(`\\s*${place}$`), "");
      if (bare.split(" ").length >= 2 && bare !== phraseKey(p.issuer)) add(bare.replace(/^ban (?:thuong vu|chap hanh)\s+/, ""), p, "bare");
    }
    if (p.number) add(phraseKey(p.number), p, "name");
    if (p.code && p.code.length >= 2) add(fold(p.code), p, "name");
  }
  // Every plan of a place, however the place is written ("tỉnh Bắc Ninh" alone is an alias of one plan):
  // what a kind of issuer named beside it narrows.
  const ofPlace = new Map<string, string[]>();
  const placeOfPlan = new Map<string, string>();
  for (const p of kb.plans) {
    if (!p.locality) continue;
    ofPlace.set(placeKey(p.locality), [...(ofPlace.get(placeKey(p.locality)) ?? []), p.id]);
    placeOfPlan.set(p.id, placeKey(p.locality));
  }
  const allOf = (phrase: string, plans: string[]): string[] => {
    const bare = phrase.replace(/^(?:tinh|thanh pho|tp|phuong|xa)\s+/, "");
    const place = ofPlace.has(bare) ? bare : Object.keys(PLACE_VARIANTS).find((k) => PLACE_VARIANTS[k]!.includes(phrase));
    return [...new Set([...plans, ...((place && ofPlace.get(place)) || [])])];
  };
  const matcher = new PhraseMatcher();
  const entries = new Map<string, { kind: PhraseKind; plans: string[]; all: string[] }>();
  let n = 0;
  for (const [phrase, e] of byPhrase) {
    const id = `s${n++}`;
    entries.set(id, { kind: e.kind, plans: [...e.plans], all: e.kind === "place" ? allOf(phrase, [...e.plans]) : [...e.plans] });
    matcher.add(phrase, id);
  }
  const numbers = kb.plans.map((p) => ({ plan: p.id, digits: numberDigits(p.number) })).filter((x) => x.digits);
  return {
    places,
    match(sylls) {
      const all = matcher.match(sylls);
      const named: string[][] = [];
      const namedKinds: PhraseKind[] = [];
      const placed: { plans: string[]; all: string[] }[] = [];
      const spans: (Mention & { kind: PhraseKind })[] = [];
      const kinds = all.map((s) => entries.get(s.id)?.kind);
      all.forEach((s) => {
        const e = entries.get(s.id);
        if (!e) return;
        // "Tỉnh ủy", "UBND tỉnh" alone are agencies in most questions ("tham mưu Tỉnh ủy"); they name a plan
        // only after the words that name one ("kế hoạch của UBND tỉnh") or beside a place.
        if (e.kind === "bare") {
          const before = sylls.slice(Math.max(0, s.start - 3), s.start).join(" ");
          const byPlace = kinds.some((kind, j) => kind === "place" && Math.min(Math.abs(all[j]!.start - s.end), Math.abs(s.start - all[j]!.end)) <= 3);
          if (!/(?:ke hoach|kh|quyet dinh|qd|cua|theo)$/.test(before) && !byPlace) return;
          // "UBND TP Hà Nội": the kind of issuer, but of another place.
          const after = sylls.slice(s.end, s.end + 4).join(" ");
          if (FOREIGN_PLACES.some((fp) => after.startsWith(fp) && !places.has(fp))) return;
        }
        spans.push({ ...s, kind: e.kind });
        if (e.kind === "place") placed.push(e);
        else {
          named.push(e.plans);
          namedKinds.push(e.kind);
        }
      });
      // A plan number typed after the kind of document: "QĐ 2820", "kế hoạch 3260", "KH số 32".
      for (let i = 0; i < sylls.length; i++) {
        const hit = numbers.find((x) => x.digits === sylls[i]);
        if (!hit) continue;
        const before = sylls.slice(Math.max(0, i - 3), i).join(" ");
        const after = sylls.slice(i + 1, i + 2).join(" ");
        if (/(?:quyet dinh|ke hoach|nghi quyet|so|chuong trinh|qd)$/.test(before) || /^(?:kh|qd|quyet|ke|nq)/.test(after)) {
          named.push([hit.plan]);
          namedKinds.push("name");
          spans.push({ id: hit.plan, start: i, end: i + 1, text: sylls[i]!, kind: "name" });
        }
      }
      // A place with several plans is narrowed by a kind of issuer named beside it ("Bắc Ninh … UBND tỉnh");
      // a name used so does not add its other plans.
      // Several kinds beside one place ("Thanh tra tỉnh Bắc Ninh … kế hoạch của UBND tỉnh … của Thanh tra tỉnh")
      // each narrow it apart: the place's plans of either kind. A kind of issuer with no plan at a place
      // named does not bring that kind's plans of every other place.
      const used = new Set<number>();
      const plans = new Set<string>();
      for (const place of placed) {
        const narrowed = new Set<string>();
        named.forEach((nm, k) => {
          const both = place.all.filter((x) => nm.includes(x));
          if (!both.length) return;
          used.add(k);
          if (both.length < place.all.length) for (const x of both) narrowed.add(x);
        });
        for (const x of narrowed.size ? narrowed : place.plans) plans.add(x);
      }
      // Without a place of its own, a kind of issuer takes the place of a plan named outright ("em ở Thanh
      // tra tỉnh Bắc Ninh … kế hoạch của UBND tỉnh": Bắc Ninh's UBND plan).
      const namedPlaces = new Set(named.flatMap((nm, k) => (namedKinds[k] === "name" && nm.length === 1 ? [placeOfPlan.get(nm[0]!)] : [])).filter((x): x is string => !!x));
      named.forEach((nm, k) => {
        if (used.has(k) || (placed.length && namedKinds[k] === "bare")) return;
        const local = namedKinds[k] === "bare" && namedPlaces.size ? nm.filter((x) => namedPlaces.has(placeOfPlan.get(x) ?? "")) : [];
        for (const x of local.length ? local : nm) plans.add(x);
      });
      return { plans: [...plans], spans };
    },
  };
}
