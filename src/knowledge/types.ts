// Typed records of the knowledge base. Every field a user relies on is copied
// from the plan; derived fields (canonical agency, ISO due date) sit beside the
// text as written, never instead of it.

/**
 * Where a record was written: 1-based lines of the file in knowledge/ (text
 * formats), of the reader's rendering (Word, HTML), or of the PDF's rebuilt
 * lines; for a PDF also the page.
 */
export interface SourceRef {
  file: string;
  line: number;
  endLine: number;
  /** PDF: the 1-based page, and the line on that page where the record starts. */
  page?: number;
  pageLine?: number;
}

/**
 * Which rule turned the deadline text into `due`:
 * - date: an explicit dd/mm/yyyy ("31/3/2026", "Trước ngày 30/6/2026")
 * - month: "Tháng 9/2026", bare "6/2025" → last day of that month
 * - quarter: "Quý III/2026", "Quí IV-2025" → last day of that quarter
 * - half: "6 tháng đầu năm 2026" → 30/6, "6 tháng cuối năm" → 31/12
 * - year: "Năm 2026", "Trong năm 2026", bare "2026" → 31/12; a range "2025 - 2026" → end of its
 *   last year (`start` kept); "2025 và những năm tiếp theo" → 31/12/2025 (`ongoing`)
 * - recurring: "Thường xuyên", "Hàng năm", "Nhiệm vụ thường xuyên" → null
 * - elsewhere: "Theo lộ trình của Trung ương", "Theo Đề án …", "Theo Kế hoạch …" → null
 * - none: no deadline written
 * - unknown: written but not understood → null (and a warning)
 */
export type DeadlineKind = "date" | "month" | "quarter" | "half" | "year" | "recurring" | "elsewhere" | "none" | "unknown";

/** The kinds whose `due` is a date the plan set. */
export const DATED_KINDS: readonly DeadlineKind[] = ["date", "month", "quarter", "half", "year"];

export interface Milestone {
  raw: string;
  due: string | null;
  kind: DeadlineKind;
  /** A range ("2025 - 2026", "giai đoạn 2026-2030"): its first day; `due` is its last. */
  start?: string;
  /** The work goes on after `due` ("2025 và những năm tiếp theo", "2026 trở đi"). */
  ongoing?: boolean;
}

export interface Deadline extends Milestone {
  /** Every milestone found in the text, in order; `due` is the first one's. */
  milestones: Milestone[];
}

export interface AgencyRef {
  /** The agency as the plan wrote it (markup and qualifiers removed). */
  text: string;
  /** Canonical name, e.g. "Sở Khoa học và Công nghệ". */
  canonical: string;
  /** Stable slug of the canonical name, e.g. "so-khoa-hoc-va-cong-nghe". */
  id: string;
  /** False when the cell is not an agency ("Theo Đề án được UBND tỉnh phê duyệt"). */
  isAgency: boolean;
  /** True for collective groups ("Các sở, ngành, địa phương"). */
  isGroup: boolean;
}

export interface Plan {
  id: string; // e.g. "bac-ninh-ubnd-2026"
  code: string; // short prefix of record ids, e.g. "BN"
  shortName: string;
  title: string;
  issuer: string;
  locality: string;
  number: string | null; // "32-KH/TU", null where the plan left it blank
  date: string | null; // ISO date of issue where written
  file: string; // file name in knowledge/
  aliases: string[]; // folded phrases that name this plan in a question
  /** What makes a newer file "the same plan": issuer + number, else the file name (see state.ts). */
  key?: string;
  /** national (Chính phủ, Quốc hội, a ministry) / province or city / ward or commune. */
  level?: "national" | "province" | "commune";
}

export interface Section {
  number: string; // "VII", "2.3", "A"
  title: string;
}

export interface Task {
  kind: "task";
  id: string; // "BN-7.22", "BN-7.22b", "DM-18a", "LC-5"
  plan: string; // Plan.id
  section: Section;
  ordinal: string; // as written: "22", "18a", "" for unnumbered bullets
  name: string;
  /** For a lettered sub-task ("18a"), the text of the numbered item it belongs to. */
  parent?: string;
  lead: string[];
  coordinators: string[];
  leadAgencies: AgencyRef[];
  coordinatorAgencies: AgencyRef[];
  leadRaw: string;
  coordinatorsRaw: string;
  deadline: Deadline;
  basis: string; // "Ghi chú" references, "" where none
  /** "Kết quả / Sản phẩm (dự kiến)" where the table has it. */
  result?: string;
  /** "Nguồn kinh phí" where the table has it. */
  funding?: string;
  /** Other columns of the table, by their header as written. */
  extra?: Record<string, string>;
  source: SourceRef;
  flags: string[]; // e.g. "lead-not-agency", "no-lead", "repeated-ordinal", "sub-row" (a row without TT under a numbered one)
}

export interface Indicator {
  kind: "indicator";
  id: string; // "BN-CT-B5", "DM-CT-E14"
  plan: string;
  group: Section; // { number: "A", title: "Phát triển hạ tầng" }
  ordinal: string;
  name: string;
  unit: string;
  lead: string[];
  leadAgencies: AgencyRef[];
  target2026: string;
  target2030: string;
  note: string;
  /** Other columns of the table, by their header as written. */
  extra?: Record<string, string>;
  source: SourceRef;
}

/** A periodic reporting rule: when a report is due inside each period. */
export interface ScheduleRule {
  period: "month" | "quarter" | "half" | "year";
  /** Day of month the report is due by ("trước ngày 20" → 20); null when the plan gives none. */
  day: number | null;
  /** For period "year": the month (1–12). For "quarter"/"half": month inside the period (1-based), e.g. 3 = last month of a quarter. */
  month: number | null;
  raw: string;
}

export interface Duty {
  kind: "duty";
  id: string; // "BG-D3"
  plan: string;
  section: Section;
  agency: string; // as written; "" when the sentence names none
  agencies: AgencyRef[];
  coordinators: string[];
  action: string; // what it must do, whole sentence(s), line breaks rejoined
  deadline: Deadline | null;
  /** Periodic reporting schedule; empty for a one-off duty. */
  schedule: ScheduleRule[];
  /** Who receives the reports, where written. */
  reportTo: string;
  source: SourceRef;
}

/** A piece of running text split by section and bullet, for retrieval. */
export interface Passage {
  kind: "passage";
  id: string; // "BG-P12"
  plan: string;
  section: Section;
  /** Titles of the enclosing headings, outermost first. */
  path: string[];
  text: string;
  source: SourceRef;
}

export interface Agency {
  id: string;
  canonical: string;
  aliases: string[];
  /** Former names of agencies merged into this one or renamed to it; a question may still use them. */
  formerly?: string[];
  isGroup: boolean;
}

export interface IngestWarning {
  file: string;
  line: number;
  message: string;
}

/**
 * One heading of a plan as written: a part ("II. NHIỆM VỤ CỤ THỂ"), a numbered group inside it
 * ("2.3. Về chuyển đổi số của tỉnh", "a) Tổ đảng ở …"), an appendix ("PHỤ LỤC II"), or a section
 * row of a task or indicator table ("III | Xây dựng cơ sở dữ liệu …").
 */
export interface OutlineHeading {
  /** 1 for the plan's parts and for each appendix; deeper for what is numbered inside them. */
  level: number;
  /** The number or letter as written, without its dot or bracket ("II", "2.3", "a", "A"); "" when none. */
  number: string;
  /** The title as written, its number removed. */
  title: string;
  /** The appendix it sits in ("Phụ lục II"); "" in the body of the plan. */
  appendix: string;
  /** Index in `PlanOutline.headings` of the enclosing heading; -1 at the top. */
  parent: number;
  source: SourceRef;
}

/** Who signed the plan, from its signature block ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / "Mai Sơn"). */
export interface Signer {
  /** The capacity lines as written, joined by " / " ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "T/M BAN THƯỜNG VỤ / BÍ THƯ"). */
  role: string;
  /** The signer's name as written; "" when the block names nobody. */
  name: string;
  source: SourceRef;
}

/** A document the plan says it implements or rests on ("Thực hiện Kế hoạch số 107/KH-UBND ngày 11/4/2026 …", "Căn cứ …"). */
export interface BasisRef {
  /** The reference as written: kind, number, date, issuer ("Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"). */
  text: string;
  source: SourceRef;
}

/** The shape of one plan as a reader sees it: title, what it implements, its parts, appendices and signers. */
export interface PlanOutline {
  plan: string; // Plan.id
  /** The title block as written ("KẾ HOẠCH Thực hiện Nghị quyết số 57-NQ/TW … năm 2026"), lines joined by a space. */
  title: string;
  titleSource: SourceRef | null;
  /** The line that gives the plan's number ("Số 32-KH/TU"), where there is one. */
  numberSource?: SourceRef;
  /** The place-and-date line as written ("Lai Châu, ngày 09 tháng 01 năm 2026") and where it is. */
  dateText?: string;
  dateSource?: SourceRef;
  /** The line that says who issues it (the header's organ, or "… ban hành Kế hoạch …"), where one does. */
  issuerSource?: SourceRef;
  basis: BasisRef[];
  /** Every heading in document order (parts, groups, appendices, table section rows). */
  headings: OutlineHeading[];
  signers: Signer[];
}

export interface KnowledgeBase {
  version: number;
  plans: Plan[];
  tasks: Task[];
  indicators: Indicator[];
  duties: Duty[];
  passages: Passage[];
  /** One per plan (older knowledge.json files have none). */
  outlines?: PlanOutline[];
  agencies: Agency[];
  warnings: IngestWarning[];
}

/** What one parser returns for one file. */
export interface ParsedPlan {
  plan: Plan;
  /** The format read ("md", "docx", …) and the layouts recognised, for the ingest report. */
  format?: string;
  layouts?: string[];
  tasks: Task[];
  indicators: Indicator[];
  duties: Duty[];
  passages: Passage[];
  outline: PlanOutline;
  warnings: IngestWarning[];
}

export type KnowledgeRecord = Task | Indicator | Duty | Passage;
