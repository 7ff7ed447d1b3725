// The ×N corpus for the scale benchmark: knowledge/'s plans as they are (copy 0)
// plus N−1 copies of each local plan with its places renamed (Bắc Ninh → another
// province, Đa Mai → another ward, Thành phố Hồ Chí Minh → another city), its plan
// name, code and aliases renamed with them — so every copy is a plan of its own,
// and a question that names a place can be checked to get that place's row. The
// national plan (Đảng đoàn Quốc hội) exists once in the country, so it is not
// copied (`copyNational` copies it too, under other numbers). Lines stay where they were (a row's line in a
// copy is its line in the original). Written into a folder the caller gives
// (a temp dir); never committed.
// Run alone: `npx tsx bench/corpus.ts 100 /tmp/kb100` (prints the manifest's size).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fold } from "../src/text/vietnamese.js";

/** The places of the original plans, and what each copy calls them. */
const PLACES = ["Bắc Ninh", "Bắc Giang", "Lai Châu", "Đa Mai", "Hồ Chí Minh"] as const;
type Place = (typeof PLACES)[number];

/** Syllables that make place names no plan of knowledge/ contains. */
const FIRST = ["Phú", "Vĩnh", "Tân", "Hòa", "Mỹ", "Cẩm", "Yên", "Kim", "Lạc", "Ngọc", "Quế", "Thái", "Tiên", "Hải", "Đông", "Tây", "Nghĩa", "Thuận", "Phước", "Gia", "Thạch", "Quỳnh", "Diễn", "Hương"];
const SECOND = ["Lộc", "Thịnh", "Khánh", "Xuyên", "Điền", "Lâm", "Phong", "Sơn", "Hưng", "Trạch", "Bình", "Đức", "Thủy", "Lĩnh", "Nguyên", "Dương", "Hậu", "Tường", "Linh", "Kiều", "Thành", "Long", "Định", "Quang"];
const CITY = [
  ["Quảng", "Trường", "Đại", "Vạn", "Bảo"],
  ["Xuân", "Thu", "Hạnh", "Ánh", "Lệ"],
  ["Phúc", "Hiệp", "Nhân", "Toàn"],
];

/** Plan file → the prefix its copies replace, and the place the prefix stands for (null: the Quốc hội plan, renumbered). */
const FILE_PREFIX: [RegExp, Place | null][] = [
  [/^bac-ninh-/, "Bắc Ninh"],
  [/^bac-giang-/, "Bắc Giang"],
  [/^lai-chau-/, "Lai Châu"],
  [/^da-mai-/, "Đa Mai"],
  [/^hcm-/, "Hồ Chí Minh"],
  [/^quochoi-ddqh-3260-/, null],
];

/** The first two letters of each original code; copies add two letters of their own. */
const CODE_PREFIX: Record<string, string> = { "bac-ninh-ubnd-2026": "BN", "bac-ninh-thanh-tra-2026": "TT", "bac-giang-ubnd-2025": "BG", "da-mai-dang-uy-2026": "DM", "lai-chau-tinh-uy-2026": "LC", "hcm-ubnd-2820-2025": "HC", "quochoi-ddqh-3260-2025": "DD" };
const ORIGINAL_CODES = new Set(["BN", "TTBN", "BG", "DM", "LC", "HCM", "DDQH"]);

export interface Copy {
  /** 0 = the originals. */
  k: number;
  places: Record<Place, string>;
  /** Original plan file → this copy's file. */
  files: Record<string, string>;
  /** Original plan code → this copy's code. */
  codes: Record<string, string>;
  /** The Quốc hội plan's number in this copy (when it is copied). */
  qhNumber: string;
  national: boolean;
}

export interface Corpus {
  dir: string;
  scale: number;
  copies: Copy[];
  files: number;
  bytes: number;
}

const slug = (s: string) => fold(s).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Written forms of a name: as written, upper, lower, and each without diacritics; NFC and NFD. */
function forms(name: string): [string[], (to: string[]) => string[]][] {
  const sy = name.split(" ");
  const variants: [string[], (t: string[]) => string[]][] = [
    [sy, (t) => t],
    [sy.map((s) => s.toUpperCase()), (t) => t.map((s) => s.toUpperCase())],
    [sy.map((s) => s.toLowerCase()), (t) => t.map((s) => s.toLowerCase())],
    [sy.map((s) => fold(s)).map(capital), (t) => t.map((s) => capital(fold(s)))],
    [sy.map((s) => fold(s).toUpperCase()), (t) => t.map((s) => fold(s).toUpperCase())],
    [sy.map((s) => fold(s)), (t) => t.map((s) => fold(s))],
  ];
  const out: [string[], (t: string[]) => string[]][] = [];
  for (const [v, f] of variants) {
    out.push([v.map((s) => s.normalize("NFC")), f]);
    const nfd = v.map((s) => s.normalize("NFD"));
    if (nfd.join() !== v.join()) out.push([nfd, f]);
  }
  return out;
}

/** Replace every written form of `from` by the same form of `to`, keeping what separates the syllables (line breaks too). */
function renamePlace(text: string, from: string, to: string): string {
  const toSy = to.split(" ");
  let out = text;
  for (const [sy, shape] of forms(from)) {
    const re = new RegExp(`(?<![\\p{L}\\p{M}])${sy.map(escape).join("(\\s+)")}(?![\\p{L}\\p{M}])`, "gu");
    const target = shape(toSy);
    out = out.replace(re, (...m: unknown[]) => {
      const seps = m.slice(1, sy.length) as string[];
      // a name of another length: its syllables joined by the first separator written
      return target.map((s, i) => (i === 0 ? s : (seps[Math.min(i, seps.length) - 1] ?? " ") + s)).join("");
    });
  }
  return out;
}

/** Plan text as copy `c` writes it: its places (and "TP.HCM", "HCM"), the Quốc hội and Lai Châu plans' numbers. */
export function rewrite(text: string, c: Copy): string {
  if (c.k === 0) return text;
  let out = text;
  const city = c.places["Hồ Chí Minh"];
  out = out.replace(/\bTP\.?\s?HCM\b/g, `TP ${city}`).replace(/\btp\.?\s?hcm\b/gi, `tp ${fold(city)}`).replace(/\bHCM\b(?!-\d)/g, city).replace(/\bhcm\b(?!-\d)/gi, fold(city));
  for (const p of PLACES) out = renamePlace(out, p, c.places[p]);
  // the Tỉnh ủy plan's issuer names no province, so its number tells the copies apart
  return out.replace(/\b3260(?=-KH)/g, c.national ? c.qhNumber : "3260").replace(/\b32(?=-KH\/TU)/gi, String(1000 + c.k));
}

/** A question as it would be asked of copy `c`: its places, and its codes in record ids ("BN-7.22" → "BNAB-7.22", "BN-CT-A1" → "BNAB-CT-A1"). */
export function rewriteQuestion(text: string, c: Copy): string {
  if (c.k === 0) return text;
  let out = text;
  for (const [from, to] of Object.entries(c.codes).sort((a, b) => b[0].length - a[0].length)) {
    out = out.replace(new RegExp(`(?<![A-Za-z])${from}(?=-|\\s?\\d)`, "gi"), (m) => (m === m.toLowerCase() ? to.toLowerCase() : to));
  }
  return rewrite(out, c);
}

function suffixes(): string[] {
  const out: string[] = [];
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (const a of A) for (const b of A) {
    const s = a + b;
    if (Object.values(CODE_PREFIX).some((p) => ORIGINAL_CODES.has(p + s))) continue;
    out.push(s);
  }
  return out;
}

/** The copies' names: distinct, and none written anywhere in the original plans. */
export function planCopies(scale: number, originalText: string): Copy[] {
  const used = fold(originalText).replace(/[^a-z0-9]+/g, " ");
  const free = (name: string) => !` ${used} `.includes(` ${fold(name)} `);
  // names differ once folded too ("Tân Lĩnh" and "Tân Linh" are one name to a phone typist and to the matchers)
  const taken = new Set<string>();
  const distinct = (name: string) => !taken.has(fold(name)) && (taken.add(fold(name)), true);
  const pairs: string[] = [];
  for (const a of FIRST) for (const b of SECOND) if (free(`${a} ${b}`) && distinct(`${a} ${b}`)) pairs.push(`${a} ${b}`);
  const cities: string[] = [];
  for (const a of CITY[0]!) for (const b of CITY[1]!) for (const c of CITY[2]!) if (free(`${a} ${b} ${c}`) && distinct(`${a} ${b} ${c}`)) cities.push(`${a} ${b} ${c}`);
  // a fixed shuffle, so neighbouring copies seldom share a syllable
  let seed = 57;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (const list of [pairs, cities]) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
  }
  if (scale - 1 > cities.length || 4 * (scale - 1) > pairs.length) throw new Error(`at most ×${Math.min(cities.length, Math.floor(pairs.length / 4)) + 1}`);
  const copies: Copy[] = [];
  for (let k = 0; k < scale; k++) {
    const places =
      k === 0
        ? (Object.fromEntries(PLACES.map((p) => [p, p])) as Record<Place, string>)
        : { "Bắc Ninh": pairs[4 * (k - 1)]!, "Bắc Giang": pairs[4 * (k - 1) + 1]!, "Lai Châu": pairs[4 * (k - 1) + 2]!, "Đa Mai": pairs[4 * (k - 1) + 3]!, "Hồ Chí Minh": cities[k - 1]! };
    copies.push({ k, places, files: {}, codes: {}, qhNumber: k === 0 ? "3260" : String(5000 + k), national: true });
  }
  return copies;
}

function copyFile(file: string, c: Copy): string {
  if (c.k === 0) return file;
  for (const [re, place] of FILE_PREFIX) {
    if (!re.test(file)) continue;
    return place ? file.replace(re, `${slug(c.places[place])}-`) : file.replace(re, `quochoi-ddqh-${c.qhNumber}-`);
  }
  return `${file.replace(/\.[^.]+$/, "")}-c${c.k}${file.slice(file.lastIndexOf("."))}`;
}

type Meta = { code?: string; shortName?: string; issuer?: string; locality?: string; aliases?: string[] };
type AgencyEntry = { canonical: string; aliases?: string[]; plans?: string[]; group?: boolean };

/** Plans of the whole country, which a deployment holds once whatever its number of provinces. */
const NATIONAL = /^quochoi-/;

/** Write the ×`scale` corpus into `dir` (plans, plans.json, agencies.json). */
export function generateCorpus(scale: number, dir: string, knowledgeDir = "knowledge", opts: { copyNational?: boolean } = {}): Corpus {
  const planFiles = readdirSync(knowledgeDir).filter((f) => /\.(md|txt)$/i.test(f) && !/^readme/i.test(f)).sort();
  const texts = new Map(planFiles.map((f) => [f, readFileSync(join(knowledgeDir, f), "utf8")]));
  const plansJson = JSON.parse(readFileSync(join(knowledgeDir, "plans.json"), "utf8")) as Record<string, Meta | string>;
  const agenciesJson = JSON.parse(readFileSync(join(knowledgeDir, "agencies.json"), "utf8")) as { agencies: AgencyEntry[] } & Record<string, unknown>;
  const copies = planCopies(scale, [...texts.values(), JSON.stringify(agenciesJson)].join("\n"));
  const sfx = suffixes();
  mkdirSync(dir, { recursive: true });
  const outPlans: Record<string, Meta | string> = { ...plansJson };
  let bytes = 0;
  for (const c of copies) {
    for (const f of planFiles) {
      const id = f.replace(/\.[^.]+$/, "");
      const meta = plansJson[f] && typeof plansJson[f] === "object" ? (plansJson[f] as Meta) : undefined;
      const original = meta?.code ?? { "hcm-ubnd-2820-2025": "HCM", "quochoi-ddqh-3260-2025": "DDQH" }[id];
      if (original) c.codes[original] = c.k === 0 ? original : `${CODE_PREFIX[id] ?? original.slice(0, 2)}${sfx[c.k - 1]}`;
      c.files[f] = copyFile(f, c);
    }
  }
  let files = 0;
  for (const c of copies) {
    for (const f of planFiles) {
      if (c.k > 0 && NATIONAL.test(f) && !opts.copyNational) {
        delete c.files[f];
        c.national = false;
        delete c.codes["DDQH"];
        continue;
      }
      files++;
      const text = rewrite(texts.get(f)!, c);
      writeFileSync(join(dir, c.files[f]!), text);
      bytes += Buffer.byteLength(text);
      if (c.k === 0) continue;
      const id = f.replace(/\.[^.]+$/, "");
      const meta = plansJson[f] && typeof plansJson[f] === "object" ? (plansJson[f] as Meta) : undefined;
      const code = c.codes[meta?.code ?? { "hcm-ubnd-2820-2025": "HCM", "quochoi-ddqh-3260-2025": "DDQH" }[id] ?? ""];
      const withPlace = (a: string) => PLACES.some((p) => fold(a).includes(fold(p))) || /\bhcm\b/i.test(a);
      outPlans[c.files[f]!] = {
        ...(code ? { code } : {}),
        ...(meta?.shortName ? { shortName: rewrite(meta.shortName, c) } : {}),
        ...(meta?.issuer ? { issuer: rewrite(meta.issuer, c) } : {}),
        ...(meta?.locality ? { locality: rewrite(meta.locality, c) } : {}),
        // aliases without a place ("thanh tra", "đảng ủy phường") name the original only
        ...(meta?.aliases ? { aliases: meta.aliases.filter(withPlace).map((a) => rewrite(a, c)) } : {}),
      };
    }
  }
  writeFileSync(join(dir, "plans.json"), JSON.stringify(outPlans, null, 1));
  // Agency names with a place get each copy's name as an alias; aliases scoped to a plan, its copies too.
  const agencies = agenciesJson.agencies.map((a) => {
    const names = [a.canonical, ...(a.aliases ?? [])].filter((n) => PLACES.some((p) => fold(n).includes(fold(p))));
    const extra = copies.slice(1).flatMap((c) => names.map((n) => rewrite(n, c)));
    const plans = a.plans ? [...a.plans, ...copies.slice(1).flatMap((c) => a.plans!.map((p) => c.files[planFiles.find((f) => f.startsWith(p + "."))!]?.replace(/\.[^.]+$/, "") ?? p))] : undefined;
    return { ...a, aliases: [...(a.aliases ?? []), ...extra], ...(plans ? { plans } : {}) };
  });
  writeFileSync(join(dir, "agencies.json"), JSON.stringify({ ...agenciesJson, agencies }, null, 1));
  return { dir, scale, copies, files, bytes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const scale = Number(process.argv[2] ?? 10);
  const dir = process.argv[3] ?? `/tmp/kehoach-corpus-x${scale}`;
  const c = generateCorpus(scale, dir);
  console.log(`×${scale}: ${c.files} plan files, ${(c.bytes / 1048576).toFixed(1)} MB in ${dir}`);
  console.log(JSON.stringify(c.copies[1] ?? c.copies[0], null, 1));
}
