// Understanding a question: what is asked (who leads, who coordinates, by when,
// a target, an agency's tasks, reporting duties, what a plan says), about which
// agency and plan, in which period. Pure functions over folded syllables.
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import { expand, isPlainLower, STOPWORDS, tokenize } from "../../retrieval/analyzer.js";
import { agencyMatcher, planMatcher, type Mention, type PhraseMatcher } from "../../retrieval/matchers.js";
import { nfc } from "../../text/vietnamese.js";
import { dateOfDay, dayNumber, localDate } from "../../text/dates.js";

export type IntentKind =
  | "lead" // ai chủ trì
  | "coordinators" // ai phối hợp
  | "deadline" // khi nào, thời hạn
  | "lead_deadline" // ai chủ trì, hạn khi nào
  | "agency_tasks" // Sở X chủ trì những nhiệm vụ nào (in a period / overdue)
  | "due_tasks" // nhiệm vụ nào đến hạn tháng 6/2026, quá hạn (no agency named)
  | "target" // chỉ tiêu 2026 / 2030
  | "duties" // báo cáo định kỳ
  | "topic" // kế hoạch nói gì về …
  | "lookup" // a record named by its id, or a bare topic
  | "empty";

export interface Period {
  from: string; // ISO date, inclusive
  to: string; // ISO date, inclusive
  label: string; // Vietnamese, as shown to the user
}

export interface Intent {
  kind: IntentKind;
  /** Topic words left after removing agencies, plans and question words (folded, expanded). */
  topic: string;
  agencies: { id: string; name: string; role: "lead" | "coordinator" | "any" }[];
  /** Plans named. `planStrict` false when the words also name an agency ("Thanh tra tỉnh"). */
  plans: string[];
  planStrict: boolean;
  period?: Period;
  overdue?: boolean;
  targetYear?: 2026 | 2030;
  /** A record id typed in the question ("BN-7.22"). */
  recordId?: string;
  /** A place named that no plan covers ("Hà Nội"). */
  foreignPlace?: string;
  page: number;
  /** Asks for both the lead and the coordinators. */
  wantsCoordinators: boolean;
  /** Names a target outright ("chỉ tiêu", "mục tiêu", "đạt bao nhiêu"). */
  strongTarget: boolean;
  /** Asks for an agency's list of tasks but names no agency the plans know ("Sở Ngoại vụ …"). */
  unknownAgency?: string;
}

export interface IntentParser {
  parse(question: string, now: Date): Intent;
}

/** Words that only ask for a list by deadline ("việc gì phải xong tháng này"), not a topic. */
const DUE_FILLER = new Set(["nhiem", "vu", "viec", "phai", "can", "xong", "den", "het", "han", "hoan", "thanh", "nhung", "cac", "nao", "gi", "co"]);

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, "1": 1, "2": 2, "3": 3, "4": 4 };

// Question phrases removed from the topic (folded syllables).
const QUESTION_PHRASES = [
  "don vi nao chu tri", "co quan nao chu tri", "ai la don vi chu tri", "ai chu tri", "co quan chu tri", "don vi chu tri", "chu tri",
  "ai phu trach", "phu trach", "do ai", "giao cho ai", "ai lam", "ai thuc hien", "cua ai", "thuoc ve ai", "chiu trach nhiem", "dam nhiem",
  "don vi nao phoi hop", "co quan nao phoi hop", "don vi phoi hop", "co quan phoi hop", "ai phoi hop", "phoi hop", "cung voi ai",
  "thoi han hoan thanh", "thoi gian hoan thanh", "thoi gian thuc hien", "han hoan thanh", "han chot", "thoi han", "khi nao", "bao gio",
  "luc nao", "ngay nao", "den han", "het han", "qua han", "tre han", "sap den han", "deadline", "xong chua", "hoan thanh khi nao", "la gi", "han la", "han nao",
  "chi tieu", "muc tieu", "bao nhieu", "nam 2026", "nam 2030", "den nam 2030", "het nam 2030", "dat bao nhieu", "can dat", "phai dat", "phan dau",
  "nhung nhiem vu nao", "nhiem vu nao", "nhung nhiem vu", "cac nhiem vu", "nhiem vu gi", "nhung viec gi", "viec gi", "lam gi",
  "danh sach", "liet ke", "bao nhieu nhiem vu", "co nhung gi", "gom nhung gi",
  "ke hoach noi gi ve", "noi gi ve", "noi ve", "co gi ve", "de cap", "quy dinh gi ve", "nhu the nao", "tom tat", "noi dung",
  "trong ke hoach", "theo ke hoach", "cho toi biet", "cho biet", "xin hoi", "cho hoi", "vay", "a", "nhe", "oi", "ai", "la ai", "co quan nao", "don vi nao", "ben nao", "noi nao",
];

const PHRASE_LIST = QUESTION_PHRASES.map((p) => p.split(" ")).sort((a, b) => b.length - a.length);

/** Provinces and cities no plan here covers: a question about them is not answerable from these plans. */
const FOREIGN_PLACES = [
  "ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "thai nguyen", "quang ninh", "hai duong", "hung yen", "vinh phuc",
  "phu tho", "tuyen quang", "ha giang", "cao bang", "lang son", "lao cai", "yen bai", "dien bien", "son la", "hoa binh",
  "thanh hoa", "nghe an", "ha tinh", "quang binh", "quang tri", "thua thien hue", "hue", "quang nam", "quang ngai", "binh dinh",
  "phu yen", "khanh hoa", "ninh thuan", "binh thuan", "kon tum", "gia lai", "dak lak", "lam dong", "binh phuoc", "tay ninh",
  "binh duong", "dong nai", "ba ria vung tau", "long an", "tien giang", "ben tre", "tra vinh", "vinh long", "dong thap", "an giang",
  "kien giang", "hau giang", "soc trang", "bac lieu", "ca mau", "nam dinh", "thai binh", "ninh binh", "ha nam", "bac kan",
];

function lastDay(y: number, m: number): string {
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function iso(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function has(s: string, re: RegExp): boolean {
  return re.test(s);
}

export function createIntentParser(kb: KnowledgeIndex, timeZone = "Asia/Ho_Chi_Minh"): IntentParser {
  const { matcher: agencies, names } = agencyMatcher(kb);
  const plans: PhraseMatcher = planMatcher(kb);
  // A place some plan covers (by its locality or aliases) is not foreign.
  const coveredPlaces = new Set(kb.plans.flatMap((p) => [...p.aliases, p.locality].map((a) => expand(tokenize(a), true).join(" "))));
  const idRe = /[A-Za-zĐđ]{2,5}[-_ ]?(?:CT[-_ ]?)?[A-Za-z]?\d+(?:[.,]\d+)*(?:[.,]?[a-zđ]{1,2}\d*)?(?![\p{L}\p{N}])/giu;

  return {
    parse(question: string, now: Date): Intent {
      const raw = nfc(question).slice(0, 2000);
      const lenient = isPlainLower(raw);
      const sylls = expand(tokenize(raw), lenient);
      const f = " " + sylls.join(" ") + " ";
      const base: Intent = { kind: "lookup", topic: "", agencies: [], plans: [], planStrict: true, page: 1, wantsCoordinators: false, strongTarget: false };
      if (sylls.length === 0) return { ...base, kind: "empty" };

      // a record id typed as such
      for (const m of raw.matchAll(idRe)) {
        const r = kb.record(m[0]);
        if (r && /\d/.test(m[0])) {
          base.recordId = r.id;
          break;
        }
      }

      // mentions
      const agencyMentions: Mention[] = agencies.match(sylls);
      const planMentions: Mention[] = plans.match(sylls);
      const overlaps = (a: Mention, b: Mention) => a.start < b.end && b.start < a.end;
      const planIds = [...new Set(planMentions.map((p) => p.id))];
      const planOverlapsAgency = planMentions.some((p) => agencyMentions.some((a) => overlaps(a, p)));

      const coord = has(f, / (phoi hop|cung voi ai) /);
      const lead = has(f, / (chu tri|phu trach|do ai|giao cho ai|ai lam|ai thuc hien|cua ai|thuoc ve ai|chiu trach nhiem|dam nhiem|dau moi) /) || (!coord && has(f, / (ai|co quan nao|don vi nao|ben nao|noi nao) /));
      const deadline = f.startsWith(" han ") || has(f, / (khi nao|bao gio|thoi han|han chot|han hoan thanh|thoi gian hoan thanh|thoi gian thuc hien|luc nao|ngay nao|den han|han la|han nao|han cuoi|deadline|xong chua|truoc ngay nao) /);
      const strongTarget = has(f, / (chi tieu|muc tieu|bao nhieu phan tram|phan tram|dat bao nhieu|dat muc|phan dau dat|can dat|phai dat) /);
      const target = strongTarget || has(f, / (ty le|ti le|so luong|xep hang|chi so|ty trong) /) || (has(f, / bao nhieu /) && !has(f, / bao nhieu nhiem vu /));
      const duties = has(f, / (bao cao dinh ky|dinh ky|che do bao cao|nop bao cao|gui bao cao|han bao cao|bao cao (hang|moi) (thang|quy|nam)|bao cao (6|sau) thang|bao cao truoc ngay|bao cao ve dau|bao cao cho ai|bao cao khi nao|bao cao len|bao cao ket qua) /);
      const topicAsk = has(f, / (noi gi|noi ve|co gi ve|de cap|quy dinh gi|nhu the nao ve|tom tat|noi dung ve|nhung gi ve) /);
      const listAsk = has(f, / (nhiem vu nao|nhung nhiem vu|cac nhiem vu|nhiem vu gi|viec gi|nhung viec|cac viec|lam gi|lam nhung gi|danh sach|liet ke|bao nhieu nhiem vu|co nhiem vu|duoc giao gi|duoc giao nhung|phu trach gi|phu trach nhung|chu tri gi|chu tri nhung|chu tri cac|phoi hop nhung|phoi hop gi|phoi hop cac) /);
      const overdue = has(f, / (qua han|tre han|cham tien do|da het han|bi tre|tre hen|cham tre) /);
      const soon = has(f, / (sap den han|sap het han|sap toi han) /);

      // period
      let period: Period | undefined;
      const today = localDate(now, timeZone);
      const year = (s: string | undefined) => (s ? Number(s) : Number(today.slice(0, 4)));
      let m: RegExpMatchArray | null;
      if ((m = f.match(/ quy (i{1,3}|iv|[1-4])(?: (?:nam )?(20\d\d))? /))) {
        const q = ROMAN[m[1]!]!;
        const y = year(m[2]);
        period = { from: iso(y, q * 3 - 2, 1), to: lastDay(y, q * 3), label: `quý ${["I", "II", "III", "IV"][q - 1]}/${y}` };
      } else if ((m = f.match(/ (6|sau) thang (dau|cuoi) nam(?: (20\d\d))? /))) {
        const y = year(m[3]);
        period = m[2] === "dau" ? { from: iso(y, 1, 1), to: lastDay(y, 6), label: `6 tháng đầu năm ${y}` } : { from: iso(y, 7, 1), to: lastDay(y, 12), label: `6 tháng cuối năm ${y}` };
      } else if ((m = f.match(/ thang (1[0-2]|0?[1-9])(?: (?:nam )?(20\d\d))? /))) {
        const mo = Number(m[1]);
        const y = year(m[2]);
        period = { from: iso(y, mo, 1), to: lastDay(y, mo), label: `tháng ${mo}/${y}` };
      } else if (/tháng\s+sáu/iu.test(raw)) {
        // "tháng sáu" (June) folds to the same syllables as "tháng sau" (next month)
        const y = year(f.match(/ thang sau(?: (?:nam )?(20\d\d))? /)?.[1]);
        period = { from: iso(y, 6, 1), to: lastDay(y, 6), label: `tháng 6/${y}` };
      } else if ((m = f.match(/ (thang|quy|nam) (nay|toi|sau) /))) {
        // "tháng này", "tháng tới", "quý này", "năm nay", counted from today in the plan's time zone
        const [y0, m0] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
        const next = m[2] !== "nay";
        if (m[1] === "thang") {
          const mo = next ? (m0 % 12) + 1 : m0;
          const y = next && m0 === 12 ? y0 + 1 : y0;
          period = { from: iso(y, mo, 1), to: lastDay(y, mo), label: `tháng ${mo}/${y}` };
        } else if (m[1] === "quy") {
          const q0 = Math.ceil(m0 / 3);
          const qn = next ? (q0 % 4) + 1 : q0;
          const y = next && q0 === 4 ? y0 + 1 : y0;
          period = { from: iso(y, qn * 3 - 2, 1), to: lastDay(y, qn * 3), label: `quý ${["I", "II", "III", "IV"][qn - 1]}/${y}` };
        } else {
          const y = next ? y0 + 1 : y0;
          period = { from: iso(y, 1, 1), to: iso(y, 12, 31), label: `năm ${y}` };
        }
      } else if (soon) {
        period = { from: today, to: dateOfDay(dayNumber(today) + 30), label: "30 ngày tới" };
      } else if ((listAsk || agencyMentions.length) && (m = f.match(/ (?:trong |het )?nam (20\d\d) /)) && !target) {
        const y = Number(m[1]);
        period = { from: iso(y, 1, 1), to: iso(y, 12, 31), label: `năm ${y}` };
      }

      const targetYear: 2026 | 2030 | undefined = / 2030 /.test(f) ? 2030 : target || / 2026 /.test(f) ? (target ? 2026 : undefined) : undefined;

      const page = Number(f.match(/ trang (\d{1,3}) /)?.[1] ?? 1) || 1;

      // foreign place
      let foreignPlace: string | undefined;
      for (const p of FOREIGN_PLACES) {
        if (f.includes(` ${p} `) && !coveredPlaces.has(p)) {
          foreignPlace = p;
          break;
        }
      }

      // topic: remove mentions of agencies and (strict) plans, question phrases, period words
      const drop = new Array<boolean>(sylls.length).fill(false);
      for (const a of agencyMentions) for (let i = a.start; i < a.end; i++) drop[i] = true;
      for (const p of planMentions) if (!agencyMentions.some((a) => overlaps(a, p))) for (let i = p.start; i < p.end; i++) drop[i] = true;
      for (let i = 0; i < sylls.length; i++) {
        for (const ph of PHRASE_LIST) {
          if (i + ph.length > sylls.length) continue;
          let ok = true;
          for (let j = 0; j < ph.length; j++) if (sylls[i + j] !== ph[j]) { ok = false; break; }
          if (ok) {
            for (let j = 0; j < ph.length; j++) drop[i + j] = true;
            break;
          }
        }
      }
      const intentTokens = new Set<string>();
      intentTokens.add("han"); // "hạn" only ever asks when
      if (target) for (const w of ["dat", "diem", "can", "phai", "la"]) intentTokens.add(w);
      const topicSylls = sylls.filter((w, i) => !drop[i] && !intentTokens.has(w));
      const topic = topicSylls
        .join(" ")
        .replace(/\b(quy (i{1,3}|iv|[1-4])|thang \d{1,2}|trang \d+|(thang|quy|nam) (nay|toi|sau))\b/g, " ")
        .replace(/\s+/g, " ")
        .trim();
      const topicContent = topic.split(" ").filter((w) => w && !STOPWORDS.has(w) && !/^\d+$/.test(w));

      const role: "lead" | "coordinator" | "any" = coord && !lead ? "coordinator" : lead ? "lead" : "any";
      const intentAgencies = [...new Map(agencyMentions.map((a) => [a.id, { id: a.id, name: names.get(a.id) ?? a.text, role }])).values()];

      // "Sở Ngoại vụ chủ trì những nhiệm vụ nào": an agency-like name no plan knows
      let unknownAgency: string | undefined;
      if (listAsk && intentAgencies.length === 0) {
        const um = f.match(/ (so|ban|phong|trung tam|uy ban|cuc|chi cuc|vien|hoi) ((?:(?!chu tri|phoi hop|co |duoc |lam |phu trach|nhung |cac )[a-z0-9]+ ){1,4})(?=chu tri|phoi hop|co |duoc |lam |phu trach)/);
        if (um) unknownAgency = (um[1] + " " + um[2]).trim();
      }
      // "nhiệm vụ nào đến hạn tháng 6/2026", "việc gì quá hạn": a list by deadline, whoever leads
      const dueList =
        intentAgencies.length === 0 && !base.recordId && !target && !lead && !coord &&
        (overdue || (!!period && (listAsk || deadline || soon || has(f, / (phai xong|can xong|phai hoan thanh|can hoan thanh) /))));
      let kind: IntentKind;
      const agencyList = intentAgencies.length > 0 && (listAsk || overdue || soon || !!period || topicContent.length <= 1) && !target;
      if (base.recordId && topicContent.length <= 2) kind = lead && deadline ? "lead_deadline" : lead ? "lead" : coord ? "coordinators" : deadline ? "deadline" : "lookup";
      else if (agencyList) kind = "agency_tasks";
      else if (dueList) kind = "due_tasks";
      else if (duties) kind = "duties";
      else if (target && !lead && !deadline) kind = "target";
      else if (lead && deadline) kind = "lead_deadline";
      else if (coord && !lead) kind = "coordinators";
      else if (lead) kind = "lead";
      else if (deadline) kind = "deadline";
      else if (topicAsk) kind = "topic";
      else if (overdue || soon || (period && listAsk)) kind = "agency_tasks";
      else kind = "lookup";

      return {
        ...base,
        kind,
        // in a list by deadline, words like "việc", "phải xong", "đến hạn" only say what kind of list
        topic: kind === "due_tasks" ? topic.split(" ").filter((w) => !DUE_FILLER.has(w)).join(" ") : topic,
        agencies: intentAgencies,
        plans: planIds,
        planStrict: !planOverlapsAgency,
        period,
        overdue: overdue || undefined,
        targetYear,
        foreignPlace,
        page,
        wantsCoordinators: coord,
        strongTarget,
        unknownAgency,
      };
    },
  };
}
