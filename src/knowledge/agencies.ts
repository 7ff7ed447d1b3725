// Agencies: a cell or a sentence subject → one AgencyRef per agency named,
// with a canonical name from knowledge/agencies.json; qualifiers such as
// "theo chức năng, nhiệm vụ" dropped; non-agency cells kept as written, flagged.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fold, slug, squash } from "../text/vietnamese.js";
import { cleanMarkup, joinCellLines, joinPieces } from "./markup.js";
import type { Agency, AgencyRef } from "./types.js";

export interface AgencyEntry {
  canonical: string;
  aliases: string[];
  /** Names of agencies merged into this one or renamed to it (2025: "Sở Thông tin và Truyền thông" → KH&CN). */
  formerly?: string[];
  group?: boolean;
  plans?: string[];
}

interface Alias {
  folded: string;
  entry: AgencyEntry;
}

/** The agency dictionary: canonical names and aliases, longest alias first. */
export class AgencyDictionary {
  private readonly aliases: Alias[];

  constructor(readonly entries: AgencyEntry[]) {
    this.aliases = entries
      .flatMap((entry) => [entry.canonical, ...entry.aliases, ...(entry.formerly ?? [])].map((a) => ({ folded: fold(squash(a)), entry })))
      .sort((a, b) => b.folded.length - a.folded.length);
  }

  static load(knowledgeDir: string): AgencyDictionary {
    const raw = JSON.parse(readFileSync(join(knowledgeDir, "agencies.json"), "utf8")) as { agencies: AgencyEntry[] };
    return new AgencyDictionary(raw.agencies);
  }

  /** The longest alias that starts `foldedText` at a word boundary, for a plan. */
  matchPrefix(foldedText: string, planId: string): Alias | undefined {
    return this.aliases.find(
      (a) =>
        foldedText.startsWith(a.folded) &&
        !/[a-z0-9]/.test(foldedText.charAt(a.folded.length)) &&
        (!a.entry.plans || a.entry.plans.includes(planId)),
    );
  }

  /** True when the folded text is the start of a known name ("van phong ubnd" of "van phong ubnd tinh"). */
  startsName(foldedText: string, planId: string): boolean {
    const t = foldedText.trim();
    return t.length > 0 && this.aliases.some((a) => (a.folded === t || a.folded.startsWith(`${t} `) || a.folded.startsWith(`${t},`)) && (!a.entry.plans || a.entry.plans.includes(planId)));
  }

  /** Exact (whole text) alias match. */
  matchWhole(text: string, planId: string): AgencyEntry | undefined {
    const f = fold(squash(text));
    return this.aliases.find((a) => a.folded === f && (!a.entry.plans || a.entry.plans.includes(planId)))?.entry;
  }
}

// Qualifiers that say how, not who (matched on folded text; fold keeps string length).
const QUALIFIERS: RegExp[] = [
  /\s*\([^)]*\)/g,
  /\s*theo chuc nang(?:\s*,\s*nhiem vu)?(?:\s*,\s*(?:phan cong|tham quyen))?\s*,?/g,
  /\s*theo tham quyen/g,
  /\s+(?:lanh dao|chi dao)\b[^;]*?\b(?:thuc hien|trien khai)\b/g,
  /\s+(?:lanh dao|chi dao)\s*$/g,
];

function removeQualifiers(text: string): string {
  let t = text;
  for (const re of QUALIFIERS) {
    const f = fold(t);
    let out = "";
    let last = 0;
    re.lastIndex = 0;
    for (let m = re.exec(f); m; m = re.exec(f)) {
      out += t.slice(last, m.index);
      last = m.index + m[0].length;
      if (m[0].length === 0) re.lastIndex++;
    }
    t = out + t.slice(last);
  }
  return t;
}

/** Words that start an agency name; a comma followed by one of them (capitalised) separates two agencies. */
const STARTERS =
  /^(so|ban|bo|cong an|ubnd|uy ban|van phong|bao|cong thong tin|cong ttdt|lien hiep|ngan hang|nhnn|tinh doan|thanh tra|dang uy|cac|co quan|hiep hoi|doanh nghiep|truong|phong|chi cuc|trung tam|bhxh|bao hiem|thong ke|hoi)\b/;

const NOT_AGENCY = /^(theo|can cu|tuy|khi|neu)\b/;

/** After a known agency: "(…)", "theo chức năng, nhiệm vụ", "lãnh đạo UBND tỉnh chỉ đạo …" up to the next ";". */
function dropLeadingQualifiers(rest: string): string {
  let r = rest;
  for (;;) {
    const f = fold(r);
    const m = /^\s*\([^)]*\)|^\s*theo chuc nang(?:\s*,\s*nhiem vu)?(?:\s*,\s*(?:phan cong|tham quyen))?|^\s*theo tham quyen|^\s+(?:lanh dao|chi dao)\b[^;]*/.exec(f);
    if (!m || m[0].length === 0) return r;
    r = r.slice(m[0].length);
  }
}

/** Where the first agency of `rest` ends: the next ";" or a comma followed by a capitalised agency word or a known alias. */
function nextAgencyCut(rest: string, dict: AgencyDictionary, planId: string): number {
  const f = fold(rest);
  let cut = rest.indexOf(";") >= 0 ? rest.indexOf(";") : rest.length;
  // "Bộ Tư lệnh Thành phố và các đơn vị có liên quan": "và các …" starts a group of its own
  // ("Văn phòng HĐND và UBND xã" stays one office).
  const and = /\sva\s+cac\s/.exec(f);
  if (and && and.index < cut) cut = and.index;
  for (let i = rest.indexOf(","); i >= 0 && i < cut; i = rest.indexOf(",", i + 1)) {
    const afterRaw = rest.slice(i + 1).trimStart();
    const after = f.slice(i + 1).trimStart();
    if ((/^[A-ZÀ-ỸĐ]/.test(afterRaw) && STARTERS.test(after)) || dict.matchPrefix(after, planId)) {
      cut = i;
      break;
    }
  }
  return cut;
}

/**
 * The agencies a sentence starts with ("Sở Tài chính, Sở Khoa học và Công nghệ theo …"):
 * known names separated by commas, "và" or ";". Returns the text they span ("" when none).
 */
export function leadingAgencyText(sentence: string, dict: AgencyDictionary, planId: string): string {
  let pos = 0;
  let end = 0;
  for (;;) {
    const skip = /^(?:\s*(?:,|;|và|va)\s*|\s*)/i.exec(sentence.slice(pos))![0].length;
    const hit = dict.matchPrefix(fold(sentence.slice(pos + skip)), planId);
    if (!hit) return sentence.slice(0, end);
    pos += skip + hit.folded.length;
    end = pos;
  }
}

function ref(text: string, entry: AgencyEntry | undefined, isAgency = true): AgencyRef {
  const canonical = entry?.canonical ?? text.charAt(0).toUpperCase() + text.slice(1);
  return { text, canonical, id: slug(canonical), isAgency, isGroup: entry?.group ?? (isAgency && /^cac\b/.test(fold(text))) };
}

/**
 * A line break inside a cell separates two agencies only when the next line
 * starts one ("Sở Tài chính⏎Sở Nội vụ"); a name cut by the break is one name
 * ("Ngân hàng Nhà nước⏎Việt Nam", "Sở Khoa học⏎và Công nghệ", "Ban Tuyên giáo⏎Trung ương").
 */
function joinBrokenLines(text: string, dict: AgencyDictionary, planId: string): string {
  const lines = text.split("\n");
  let out = lines[0] ?? "";
  for (const next of lines.slice(1)) {
    const n = next.trim();
    if (!n) continue;
    const f = fold(n);
    const prev = out.trimEnd();
    const startsAgency = (STARTERS.test(f) && !/^(?:cac|co quan|doanh nghiep)\b/.test(f)) || !!dict.matchPrefix(f, planId) || /^cac\s+(?:so|ban|bo|co quan|don vi|dia phuong|to chuc)\b/.test(f);
    const cutName = /(?:\bvà|\bva|\bcủa|,|-|–|&)$/i.test(prev) || /^[a-zà-ỹđ]/.test(n);
    // "Văn phòng⏎UBND tỉnh": the two lines make one known name.
    // "Văn phòng⏎UBND⏎tỉnh", "các⏎Sở, ban, ngành, địa phương": the lines begin one known name.
    const seg = fold(prev.split(/[;\n]/).pop()!.trim());
    const tail = fold(prev.split(/[,;\n]/).pop()!.trim());
    const joinsKnown = [seg, tail].some((x) => x && (dict.startsName(`${x} ${f}`, planId) || !!dict.matchPrefix(`${x} ${f}`, planId)) && !dict.matchWhole(x, planId));
    // A line ending in "và", "của", "&" or "-" cannot end a name; one ending in "," is split again by commas below.
    const openEnd = /(?:\bvà|\bva|\bcủa|&|[-–,])$/i.test(prev);
    const join = !startsAgency || joinsKnown || openEnd || (cutName && !/[;.]$/.test(prev) && /^[a-zà-ỹđ]/.test(n));
    // A token cut by the break ("87/KH-⏎UBND") joins without a space.
    out = !join ? `${prev}\n${n}` : joinPieces(prev, n);
  }
  return out;
}

/**
 * Split a lead/coordinator cell into agencies. Separators are ";", line breaks
 * (<br>), and commas that are followed by a new agency name; a comma inside a
 * known name ("Sở Văn hóa, Thể thao và Du lịch") does not split.
 */
export function splitAgencies(cell: string, dict: AgencyDictionary, planId: string): AgencyRef[] {
  const text = cleanMarkup(cell, "\n");
  if (!squash(text)) return [];
  if (NOT_AGENCY.test(fold(squash(text)))) return [ref(squash(joinCellLines(text)).replace(/[.;,]+$/, ""), undefined, false)];
  const out: AgencyRef[] = [];
  let rest = squash(joinBrokenLines(text, dict, planId).replace(/\n/g, "; ")).replace(/[.;,]+$/, "");
  while (rest) {
    rest = rest.replace(/^(?:[,;.\s]|va\s|và\s)+/i, "");
    if (!rest) break;
    const hit = dict.matchPrefix(fold(rest), planId);
    let take: string;
    let entry: AgencyEntry | undefined;
    if (hit) {
      take = rest.slice(0, hit.folded.length);
      entry = hit.entry;
      rest = dropLeadingQualifiers(rest.slice(take.length));
    } else {
      rest = squash(removeQualifiers(rest));
      take = rest.slice(0, nextAgencyCut(rest, dict, planId));
      entry = dict.matchWhole(take, planId);
      rest = rest.slice(take.length);
    }
    const name = squash(take).replace(/[.,;]+$/, "");
    if (name) {
      if (NOT_AGENCY.test(fold(name))) out.push(ref(name, undefined, false));
      else if (!out.some((r) => r.canonical === (entry?.canonical ?? name))) out.push(ref(name, entry));
    }
  }
  return out;
}

/** All agencies mentioned in the records, plus the dictionary's, as Agency values. */
export function collectAgencies(dict: AgencyDictionary, refs: AgencyRef[]): Agency[] {
  const byId = new Map<string, Agency>();
  for (const e of dict.entries) {
    byId.set(slug(e.canonical), { id: slug(e.canonical), canonical: e.canonical, aliases: [...e.aliases], isGroup: !!e.group, ...(e.formerly?.length ? { formerly: [...e.formerly] } : {}) });
  }
  for (const r of refs) {
    if (!r.isAgency) continue;
    const a = byId.get(r.id) ?? { id: r.id, canonical: r.canonical, aliases: [], isGroup: r.isGroup };
    if (r.text !== a.canonical && !a.aliases.includes(r.text)) a.aliases.push(r.text);
    byId.set(r.id, a);
  }
  return [...byId.values()].sort((a, b) => a.canonical.localeCompare(b.canonical, "vi"));
}
