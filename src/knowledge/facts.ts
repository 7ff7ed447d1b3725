// A plan's facts from the document itself: issuer (the header block "UBND TỈNH
// …", "ĐẢNG ỦY …", "CHÍNH PHỦ"; else the signature "TM. …" or the sentence "X
// ban hành Kế hoạch"), number ("Số: 617/KH-UBND", "3260-KH/ĐĐQH15"), date
// ("…, ngày 01 tháng 12 năm 2025"), title, locality and level. plans.json
// only overrides them.
import { fold, squash } from "../text/vietnamese.js";
import type { Block, TextBlock } from "./document.js";

export type PlanLevel = "national" | "province" | "commune";

export interface PlanFacts {
  issuer: string;
  number: string | null;
  date: string | null;
  title: string;
  locality: string;
  level: PlanLevel | null;
}

/** Lines of the document's opening: text blocks and the cells of layout tables, before the body starts. */
function headLines(blocks: Block[]): string[] {
  const out: string[] = [];
  for (const b of blocks.slice(0, 40)) {
    if (b.type === "text") {
      if (/^(?:I|1)[.\-–]\s/.test(b.text) && out.length > 0) break;
      out.push(b.text);
    } else {
      if (b.rows.length > 4) break; // a real table: the body has started
      for (const r of b.rows) for (const c of r.cells) for (const l of c.text.split("\n")) if (squash(l)) out.push(squash(l));
    }
  }
  return out;
}

const SKIP_HEAD = /^(?:cong hoa xa hoi chu nghia viet nam|dang cong san viet nam|doc lap|so\b|ke hoach|quyet dinh|chuong trinh|-+$|_+$|\*+$)/;
export const ISSUER_HEAD =
  /^(?:ubnd|uy ban nhan dan|hoi dong nhan dan|dang uy|dang bo|tinh uy|thanh uy|huyen uy|ban thuong vu|ban chap hanh|dang doan|ban can su|chinh phu|quoc hoi|thu tuong|bo |so |thanh tra|ban chi dao|van phong|cong an|uy ban)/;

const PROPER = [
  "Quốc hội", "Chính phủ", "Trung ương", "Việt Nam", "Mặt trận Tổ quốc", "Thủ tướng", "Bộ Chính trị", "Ban Bí thư",
  "Thường vụ", "Tỉnh ủy", "Thành ủy", "Huyện ủy", "Đảng ủy", "Đảng đoàn", "Đảng bộ", "Ban Chấp hành", "Ban cán sự",
];
const PLACE_WORDS = /^(tỉnh|thành phố|tp\.?|phường|xã|huyện|quận|thị xã|đặc khu)$/i;

/** "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH" → "Ủy ban nhân dân Thành phố Hồ Chí Minh". Mixed-case text is kept. */
export function headingCase(s: string): string {
  const t = squash(s);
  if (t !== t.toUpperCase()) return t;
  const words = t.toLowerCase().split(" ");
  const out: string[] = [];
  let place = false;
  words.forEach((w, i) => {
    const cap = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);
    if (/^(ubnd|hđnd|ub|tp\.?|mttq|ttg|qđ|kh)$/i.test(w)) out.push(w.toUpperCase());
    else if (i === 0 || place) out.push(cap(w));
    else out.push(w);
    if (PLACE_WORDS.test(w) || (i > 0 && PLACE_WORDS.test(`${words[i - 1]} ${w}`))) place = true;
  });
  let r = out.join(" ").replace(/\b(Tỉnh|Thành phố|Phường|Xã|Huyện|Quận)\b(?= [A-ZÀ-ỸĐ])/g, (m, _g, at: number) => (at === 0 ? m : m.toLowerCase()));
  for (const p of PROPER) r = r.replace(new RegExp(`(?<![\\p{L}])${p.toLowerCase().replace(/ /g, "\\s")}(?![\\p{L}])`, "giu"), p);
  // "Sở khoa học và công nghệ" → "Sở Khoa học và Công nghệ": each field of a department's name is capitalised.
  r = r.replace(/^(Sở|Bộ|Ban|Cục|Vụ|Viện|Trung tâm)\s+(.+?)(?=\s+(?:tỉnh|thành phố|Tỉnh|Thành phố)\b|$)/u, (_m, organ: string, field: string) =>
    `${organ} ${field.split(/(\s+và\s+|,\s+)/).map((part) => (/^(\s+và\s+|,\s+)$/.test(part) ? part : part.charAt(0).toUpperCase() + part.slice(1))).join("")}`,
  );
  return r.replace(/\bthành phố\b(?= [A-ZÀ-ỸĐ])/, "Thành phố").replace(/^Ủy ban nhân dân thành phố/, "Ủy ban nhân dân Thành phố");
}

const MOTTOS = ["cong hoa xa hoi chu nghia viet nam", "dang cong san viet nam", "doc lap - tu do - hanh phuc"];
const ORGANS = ["uy ban nhan dan", "hoi dong nhan dan", "ban thuong vu", "ban chap hanh dang bo", "ban chap hanh"];
const ORGAN_ONLY = /^(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|dang uy|ban chap hanh dang bo|ban thuong vu)$/;
const PLACE_START = /^(?:tinh|thanh pho|tp\.?|phuong|xa|huyen|quan|thi xa|dac khu)\s/;

function issuerOf(head: string[], blocks: Block[]): string {
  // The issuer block: consecutive capitalised lines from the first that names an organ
  // (the motto of the other column may sit between them); "Số: …" or the date line ends it.
  const block: string[] = [];
  for (const l of head) {
    const f = fold(l);
    // The motto of the other column, whole or cut into lines ("CỘNG HÒA XÃ" / "HỘI CHỦ NGHĨA VIỆT NAM").
    if (/^(?:-+|_+|\*+)$/.test(f) || (f.split(" ").length >= 2 && MOTTOS.some((m) => m.includes(f))) || /^doc lap\b/.test(f)) continue;
    const candidate = l === l.toUpperCase() && /\p{Lu}/u.test(l) && !/\d/.test(l) && l.length <= 90;
    if (!block.length) {
      if (candidate && ISSUER_HEAD.test(f)) block.push(l);
      continue;
    }
    if (!candidate || SKIP_HEAD.test(f)) break;
    block.push(l);
  }
  // "ỦY BAN NHÂN DÂN" over "TỈNH TÂY SƠN" is one name.
  const merged: string[] = [];
  for (const l of block) {
    const prev = merged[merged.length - 1];
    const pf = prev ? fold(prev) : "";
    const cutOrgan = !!prev && ORGANS.some((o) => o.startsWith(pf) && o !== pf && o.startsWith(`${pf} ${fold(l)}`.slice(0, o.length)));
    if (prev && (cutOrgan || (ORGAN_ONLY.test(pf) && PLACE_START.test(fold(l))))) merged[merged.length - 1] = `${prev} ${l}`;
    else merged.push(l);
  }
  const issuer = merged.filter((c) => !/^ban chap hanh trung uong$/.test(fold(c)));
  if (issuer.length) {
    const last = issuer[issuer.length - 1]!;
    const parent = issuer.length > 1 ? issuer[issuer.length - 2]! : "";
    // "BAN THƯỜNG VỤ TỈNH ỦY" under "ĐẢNG BỘ TỈNH LAI CHÂU", "SỞ …" under "UBND TỈNH …": name the place.
    if (parent && !localityOf(headingCase(last)).locality) {
      const place = /\b(?:TỈNH|THÀNH PHỐ|PHƯỜNG|XÃ|ĐẶC KHU)\s+(.+)$/u.exec(parent);
      if (place) return headingCase(`${last} ${place[1]}`);
    }
    return headingCase(last);
  }
  // The signature: "TM. ỦY BAN NHÂN DÂN", "T/M ĐẢNG ĐOÀN QUỐC HỘI".
  for (const b of blocks) {
    if (b.type !== "text") continue;
    const m = /^(?:TM|T\/M|KT)\.?\s+(.{4,80})$/.exec(b.text);
    if (m && !/chủ tịch|bí thư/i.test(m[1]!)) return headingCase(m[1]!);
  }
  // "UBND tỉnh Bắc Giang ban hành Kế hoạch …", "Thanh tra tỉnh xây dựng Kế hoạch …"
  for (const b of blocks.slice(0, 60)) {
    if (b.type !== "text") continue;
    const m = /(?:^|[;,.]\s+)((?:UBND|Ủy ban nhân dân|Ban Thường vụ|Đảng ủy|Thanh tra|Sở|Bộ|Ban)[^,;.]{2,60}?)\s+(?:ban hành|xây dựng)\s+(?:Kế hoạch|Quyết định|Chương trình)/.exec(b.text);
    if (m) return squash(m[1]!);
  }
  return "";
}

function numberOf(head: string[]): string | null {
  const text = head.join(" ");
  const m = /Số\s*:?\s*(\d+[\d.]*\s*[-/]\s*[\p{L}\d]+(?:\s*[-/.]\s*[\p{L}\d]+)*)/u.exec(text);
  return m ? m[1]!.replace(/\s+/g, "") : null;
}

function dateOf(head: string[], blocks: Block[]): string | null {
  const text = head.join("\n");
  const d = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/i.exec(text);
  if (d) return `${d[3]}-${d[2]!.padStart(2, "0")}-${d[1]!.padStart(2, "0")}`;
  for (const b of blocks) {
    if (b.type !== "text") continue;
    const a = /Kèm theo (?:Kế hoạch|Quyết định) số[^\n]*?ngày\s*(\d{1,2})\s*(?:\/|\s+tháng\s+)\s*(\d{1,2})\s*(?:\/|\s+năm\s+)\s*(\d{4})/i.exec(b.text);
    if (a) return `${a[3]}-${a[2]!.padStart(2, "0")}-${a[1]!.padStart(2, "0")}`;
  }
  return null;
}

/**
 * The title block: the line "KẾ HOẠCH" (or "CHƯƠNG TRÌNH", "… HÀNH ĐỘNG") and the lines of its
 * name after it, up to a rule, "Căn cứ …", "(Kèm theo …)", a second "Thực hiện …", the first
 * part, or four lines. Indexes are those of `blocks`.
 */
export function titleBlock(blocks: Block[]): { head: number; parts: number[] } | undefined {
  const text = (i: number) => {
    const b = blocks[i]!;
    return b.type === "text" ? b.text : "";
  };
  const head = blocks.findIndex((b) => b.type === "text" && /^(?:kế hoạch|chương trình)(?: hành động)?$/i.test(squash(b.text)));
  if (head < 0) return undefined;
  const parts: number[] = [];
  for (let i = head + 1; i < blocks.length; i++) {
    const t = text(i);
    if (!t) continue;
    if (/^[-–_]{3,}$/.test(t) || /^căn cứ/i.test(t) || /^\((?:kèm|ban hành)/i.test(t) || (parts.length > 0 && /^thực hiện/i.test(t)) || parts.length >= 4) break;
    if (/^(?:I|1)[.\-–]\s/.test(t)) break;
    parts.push(i);
  }
  return { head, parts };
}

function titleOf(blocks: Block[]): string {
  const t = titleBlock(blocks);
  if (!t) return "";
  const head = fold(squash((blocks[t.head] as TextBlock).text));
  const word = `${head.startsWith("chuong") ? "Chương trình" : "Kế hoạch"}${head.endsWith("hanh dong") ? " hành động" : ""}`;
  return squash(`${word} ${t.parts.map((i) => (blocks[i] as TextBlock).text).join(" ")}`);
}

const NATIONAL = /^(?:chinh phu|quoc hoi|thu tuong|bo |ban chap hanh trung uong|bo chinh tri|ban bi thu|dang doan quoc hoi|ban can su dang chinh phu|van phong chinh phu|van phong quoc hoi|uy ban thuong vu quoc hoi)/;

/** Locality and level from the issuer ("Ủy ban nhân dân Thành phố Hồ Chí Minh" → "Hồ Chí Minh", province). */
export function localityOf(issuer: string): { locality: string; level: PlanLevel | null } {
  const f = fold(issuer);
  if (!f) return { locality: "", level: null };
  if (NATIONAL.test(f) || /\btrung uong\b/.test(f)) return { locality: "", level: "national" };
  const m = /\b(tinh|thanh pho|tp\.?|phuong|xa|huyen|quan|thi xa|dac khu)(?! uy)\s+(.+)$/.exec(f);
  if (m) {
    const place = issuer.slice(m.index + m[1]!.length).trim().replace(/^\.\s*/, "");
    const word = m[1]!;
    if (/^(phuong|xa|huyen|quan|thi xa|dac khu)$/.test(word)) {
      return { locality: `${issuer.slice(m.index, m.index + word.length).toLowerCase()} ${place}`, level: "commune" };
    }
    return { locality: place, level: "province" };
  }
  const u = /\b(tinh uy|thanh uy|huyen uy)\s+(.+)$/.exec(f);
  if (u) return { locality: issuer.slice(u.index + u[1]!.length).trim(), level: u[1] === "huyen uy" ? "commune" : "province" };
  return { locality: "", level: null };
}

export function planFacts(blocks: Block[]): PlanFacts {
  const head = headLines(blocks);
  const issuer = issuerOf(head, blocks);
  const { locality, level } = localityOf(issuer);
  return { issuer, number: numberOf(head), date: dateOf(head, blocks), title: titleOf(blocks), locality, level };
}

/** Folded phrases a question may name the plan by: its place (with and without "tỉnh", "TP"), issuer, number. */
export function derivedAliases(f: PlanFacts): string[] {
  const out = new Set<string>();
  const add = (s: string) => {
    const k = squash(fold(s).replace(/[^a-z0-9/ -]+/g, " "));
    if (k.length >= 3) out.add(k);
  };
  if (f.locality) {
    add(f.locality);
    if (f.level === "province") {
      for (const p of ["tinh", "thanh pho", "tp"]) add(`${p} ${f.locality}`);
      const initials = fold(f.locality).split(/\s+/).map((w) => w[0]).join("");
      if (initials.length >= 3) {
        add(initials);
        add(`tp ${initials}`);
        add(`tp${initials}`);
      }
    }
  }
  if (f.issuer) {
    add(f.issuer);
    add(f.issuer.replace(/^Ủy ban nhân dân/i, "UBND"));
    if (f.level === "national") add(f.issuer.replace(/^(?:Đảng đoàn|Ban cán sự đảng|Văn phòng)\s+/i, ""));
  }
  if (f.number) add(f.number);
  return [...out];
}
