// Vietnamese text → search terms. Folding (đ → d, no diacritics, lower case),
// abbreviations expanded to their long form on BOTH sides (documents and
// questions), so "KH&CN", "KHCN" and "khoa học và công nghệ" meet; syllables and
// syllable pairs (Vietnamese words span syllables) as terms.
import { fold, nfc } from "../text/vietnamese.js";

export interface Token {
  /** Folded syllable ("so", "khoa"). */
  t: string;
  /** True when the syllable was written in capitals (tells "CA tỉnh" from "cả tỉnh"). */
  upper: boolean;
}

/**
 * Abbreviations, as folded token sequences → folded long form. Longest first
 * where they overlap. `upper` rules apply only when written in capitals (or when
 * the whole text has no diacritics and no capitals — a phone user typing "ca tinh").
 */
interface AbbrevRule {
  from: string[];
  to: string;
  /** true: capitals, or a plain lower-case text; "strict": capitals only. */
  upper?: boolean | "strict";
}

const ABBREVIATIONS: AbbrevRule[] = [
  { from: ["kh", "cn"], to: "khoa hoc cong nghe" },
  { from: ["khcn"], to: "khoa hoc cong nghe" },
  { from: ["skhcn"], to: "so khoa hoc cong nghe" },
  { from: ["kh", "va", "cn"], to: "khoa hoc cong nghe" },
  { from: ["khoa", "hoc", "va", "cong", "nghe"], to: "khoa hoc cong nghe" },
  { from: ["dmst"], to: "doi moi sang tao" },
  { from: ["cds"], to: "chuyen doi so" },
  { from: ["cdso"], to: "chuyen doi so" },
  { from: ["cntt"], to: "cong nghe thong tin" },
  { from: ["ubnd"], to: "uy ban nhan dan" },
  { from: ["ub"], to: "uy ban" },
  { from: ["hdnd"], to: "hoi dong nhan dan" },
  { from: ["bcd"], to: "ban chi dao" },
  { from: ["vpubnd"], to: "van phong uy ban nhan dan" },
  { from: ["vp"], to: "van phong" },
  { from: ["tthc"], to: "thu tuc hanh chinh" },
  { from: ["dvctt"], to: "dich vu cong truc tuyen" },
  { from: ["dvc"], to: "dich vu cong" },
  { from: ["hcc"], to: "hanh chinh cong" },
  { from: ["nq"], to: "nghi quyet" },
  { from: ["kh"], to: "ke hoach" },
  { from: ["ca", "tinh"], to: "cong an tinh", upper: true },
  { from: ["ca"], to: "cong an", upper: "strict" },
  { from: ["bo", "chqs"], to: "bo chi huy quan su" },
  { from: ["chqs"], to: "chi huy quan su" },
  { from: ["nhnn"], to: "ngan hang nha nuoc" },
  { from: ["kcn"], to: "khu cong nghiep" },
  { from: ["ccn"], to: "cum cong nghiep" },
  { from: ["bql"], to: "ban quan ly" },
  { from: ["ql"], to: "quan ly" },
  { from: ["mttq"], to: "mat tran to quoc" },
  { from: ["ubmttq"], to: "uy ban mat tran to quoc" },
  { from: ["gd", "dt"], to: "giao duc dao tao" },
  { from: ["gddt"], to: "giao duc dao tao" },
  { from: ["giao", "duc", "va", "dao", "tao"], to: "giao duc dao tao" },
  { from: ["nn", "mt"], to: "nong nghiep moi truong" },
  { from: ["nnmt"], to: "nong nghiep moi truong" },
  { from: ["nong", "nghiep", "va", "moi", "truong"], to: "nong nghiep moi truong" },
  { from: ["vh", "tt", "dl"], to: "van hoa the thao du lich" },
  { from: ["vhttdl"], to: "van hoa the thao du lich" },
  { from: ["van", "hoa", "the", "thao", "va", "du", "lich"], to: "van hoa the thao du lich" },
  { from: ["tc"], to: "tai chinh", upper: "strict" },
  { from: ["attt"], to: "an toan thong tin" },
  { from: ["csdl"], to: "co so du lieu" },
  { from: ["ai"], to: "tri tue nhan tao", upper: "strict" },
  { from: ["tri", "tue", "nhan", "tao", "ai"], to: "tri tue nhan tao" },
  { from: ["dn"], to: "doanh nghiep" },
  { from: ["dnnvv"], to: "doanh nghiep nho va vua" },
  { from: ["cbccvc"], to: "can bo cong chuc vien chuc" },
  { from: ["kts"], to: "kinh te so" },
  { from: ["xhs"], to: "xa hoi so" },
  { from: ["du"], to: "dang uy", upper: "strict" },
  { from: ["tu"], to: "tinh uy", upper: "strict" },
  { from: ["btv"], to: "ban thuong vu" },
  { from: ["qd"], to: "quyet dinh", upper: "strict" },
  { from: ["ktkt"], to: "khoa hoc ky thuat" },
  { from: ["khckt"], to: "khoa hoc ky thuat" },
  { from: ["tw"], to: "trung uong", upper: "strict" },
  { from: ["ctxh"], to: "chinh tri xa hoi" },
  { from: ["ct", "xh"], to: "chinh tri xa hoi" },
  { from: ["dti"], to: "chi so chuyen doi so" },
  { from: ["dbqh"], to: "dai bieu quoc hoi" },
  { from: ["ubtvqh"], to: "uy ban thuong vu quoc hoi" },
  { from: ["qh"], to: "quoc hoi", upper: true },
  { from: ["tphcm"], to: "thanh pho ho chi minh" },
  { from: ["hcm"], to: "ho chi minh" },
  { from: ["tp"], to: "thanh pho" },
  { from: ["tt", "dl"], to: "the thao du lich" },
  { from: ["tt", "va", "dl"], to: "the thao du lich" },
  { from: ["kh", "cn", "mt"], to: "khoa hoc cong nghe moi truong" },
  // Administrative shorthand officials type (both sides are expanded, so a plan that writes them meets the long form).
  { from: ["ttdt"], to: "thong tin dien tu" },
  { from: ["cttdt"], to: "cong thong tin dien tu" },
  { from: ["tt", "tt"], to: "thong tin truyen thong" },
  { from: ["tttt"], to: "thong tin truyen thong" },
  { from: ["khdt"], to: "ke hoach dau tu" },
  { from: ["kh", "dt"], to: "ke hoach dau tu" },
  { from: ["ldtbxh"], to: "lao dong thuong binh xa hoi" },
  { from: ["ld", "tb", "xh"], to: "lao dong thuong binh xa hoi" },
  { from: ["gtvt"], to: "giao thong van tai" },
  { from: ["tnmt"], to: "tai nguyen moi truong" },
  { from: ["tn", "mt"], to: "tai nguyen moi truong" },
  { from: ["nnptnt"], to: "nong nghiep phat trien nong thon" },
  { from: ["bhxh"], to: "bao hiem xa hoi" },
  { from: ["cbcc"], to: "can bo cong chuc" },
  { from: ["cbcc", "vc"], to: "can bo cong chuc vien chuc" },
  { from: ["nsnn"], to: "ngan sach nha nuoc" },
  { from: ["qppl"], to: "quy pham phap luat" },
  { from: ["vbqppl"], to: "van ban quy pham phap luat" },
  { from: ["cqdt"], to: "chinh quyen dien tu" },
  { from: ["cqs"], to: "chinh quyen so" },
  { from: ["cntt", "tt"], to: "cong nghe thong tin truyen thong" },
  { from: ["pii"], to: "chi so doi moi sang tao" },
  { from: ["pci"], to: "chi so nang luc canh tranh" },
];

// Index rules by first token; longest sequences first.
const RULES = new Map<string, AbbrevRule[]>();
for (const r of [...ABBREVIATIONS].sort((a, b) => b.from.length - a.from.length)) {
  const k = r.from[0]!;
  const list = RULES.get(k) ?? [];
  list.push(r);
  RULES.set(k, list);
}

const TOKEN_RE = /[\p{L}\p{N}]+/gu;

/** NFC tokens with their folded form and capitalisation. "KH&CN" → kh, cn (upper). */
export function tokenize(text: string): Token[] {
  const s = nfc(text);
  const out: Token[] = [];
  for (const m of s.matchAll(TOKEN_RE)) {
    const raw = m[0];
    const f = fold(raw);
    // split letter/digit runs glued by folding artefacts, keep "5g", "2026", "4.0" pieces
    const upper = raw.length >= 2 && raw === raw.toUpperCase() && /\p{L}/u.test(raw);
    out.push({ t: f, upper });
  }
  return out;
}

/** Expand abbreviations; returns folded syllables. */
export function expand(tokens: Token[], lenient: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const tok = tokens[i]!;
    const rules = RULES.get(tok.t);
    let applied = false;
    if (rules) {
      for (const r of rules) {
        if (i + r.from.length > tokens.length) continue;
        let ok = true;
        for (let j = 0; j < r.from.length; j++) {
          if (tokens[i + j]!.t !== r.from[j]) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        if (r.upper && !tok.upper && (r.upper === "strict" || !lenient)) continue;
        out.push(...r.to.split(" "));
        i += r.from.length;
        applied = true;
        break;
      }
    }
    if (!applied) {
      out.push(tok.t);
      i++;
    }
  }
  return out;
}

/** True when text is typed without diacritics and without capitals (phone style). */
export function isPlainLower(text: string): boolean {
  const s = nfc(text);
  return s === s.toLowerCase() && fold(s) === s.toLowerCase();
}

/** Folded, abbreviation-expanded syllables of a text. */
export function syllables(text: string, opts: { lenient?: boolean } = {}): string[] {
  return expand(tokenize(text), opts.lenient ?? isPlainLower(text));
}

/** Words that carry no topic (question words, function words, plan boilerplate). */
export const STOPWORDS = new Set(
  (
    "va cua cac nhung la co cho voi tren trong theo de duoc den tu ve mot nay do thi o tai nhu hoac khi nao gi ai bao gio " +
    "nhieu bao nhieu may hay khong chua roi da se dang can phai can cung van con vay a ha nhe oi vui long xin cho hoi minh toi em anh chi " +
    "the sao lam viec nhiem vu duoc giao nao day kia ra vao lai rat qua nhat hon"
  ).split(" "),
);

export interface Terms {
  /** Unigrams (non-stopword syllables) and bigrams (adjacent syllables, stopwords kept inside pairs). */
  terms: string[];
  unigrams: string[];
}

const joinPair = (a: string, b: string) => a + "_" + b;

/** Search terms: content syllables plus syllable pairs ("khoa_hoc"). `pair` joins two syllables (an index build passes one that makes each pair's string once). */
export function termsOf(sylls: string[], pair: (a: string, b: string) => string = joinPair): Terms {
  const unigrams = sylls.filter((s) => !STOPWORDS.has(s) && s.length > 0);
  const terms = [...unigrams];
  for (let i = 0; i + 1 < sylls.length; i++) {
    const a = sylls[i]!;
    const b = sylls[i + 1]!;
    if (STOPWORDS.has(a) && STOPWORDS.has(b)) continue;
    terms.push(pair(a, b));
  }
  return { terms, unigrams };
}

export function analyze(text: string, opts: { lenient?: boolean } = {}): Terms {
  return termsOf(syllables(text, opts));
}

/** A phrase key for matching names: expanded syllables without "va" and punctuation. */
export function phraseKey(text: string): string {
  return syllables(text, { lenient: true })
    .filter((s) => s !== "va")
    .join(" ");
}
