// The typed query between a question's words and the records: what is asked,
// in which plans, about which agencies in which role, over which kinds of
// record, in which period or state, on which topic. The parser fills it from
// the words; an optional LLM may propose one (validated by this schema); the
// records still decide every fact.
import { z } from "zod";

export const ASKS = [
  "who", // ai chủ trì
  "coordinators", // ai phối hợp
  "when", // khi nào, thời hạn
  "who_when", // ai chủ trì, hạn khi nào
  "target", // chỉ tiêu bao nhiêu
  "what", // nội dung, kết quả, làm gì (one record)
  "list", // những nhiệm vụ nào
  "count", // bao nhiêu nhiệm vụ
  "duties", // báo cáo: gì, cho ai, bao lâu một lần, hạn nào
  "overview", // kế hoạch X gồm những gì, ban hành ngày nào
  "status", // tiến độ, tình hình (from the store)
  "topic", // kế hoạch nói gì về …
] as const;
export type Ask = (typeof ASKS)[number];

export const RECORD_KINDS = ["task", "indicator", "duty"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const PeriodSchema = z.object({
  /** ISO, inclusive. */
  from: z.string(),
  to: z.string(),
  /** Vietnamese, as shown: "quý II/2026", "ngày 30/06/2026". */
  label: z.string(),
  /** A single day asked as such ("đúng ngày 30/6/2026"): only deadlines written as that day match. */
  exact: z.boolean(),
});
export type QueryPeriod = z.infer<typeof PeriodSchema>;

export const QuerySchema = z.object({
  ask: z.enum(ASKS),
  /** Plans in scope; [] = every plan. */
  plans: z.array(z.string()),
  /** The question names its plans (by issuer, number, place): nothing outside them may answer. */
  scoped: z.boolean(),
  agencies: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Agencies named as whom reports go to ("gửi Sở KH&CN", "báo cáo UBND tỉnh"). */
  recipients: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Several agencies: rows of each ("any"), or rows they share ("all": "cùng chủ trì"). */
  agencyMode: z.enum(["any", "all"]),
  role: z.enum(["lead", "coordinator", "either"]),
  /** Kinds of record asked for; [] = the ask's default. */
  kinds: z.array(z.enum(RECORD_KINDS)),
  period: PeriodSchema.optional(),
  state: z.enum(["overdue", "due-soon", "done", "not-reported", "recurring", "dated"]).optional(),
  /** "nhóm III", "mục 2.2", "Phụ lục II": a part of the plan. */
  section: z.string().optional(),
  appendix: z.string().optional(),
  /** Content words only (folded syllables), what retrieval ranks. */
  topic: z.string(),
  recordId: z.string().optional(),
  targetYear: z.number().int().optional(),
  page: z.number().int().min(1),
  /** An agency-like name no plan knows ("Sở Ngoại vụ"). */
  unknownAgency: z.string().optional(),
  /** Agencies named by a former name ("Sở LĐ-TB&XH" → Sở Nội vụ): the answer says what they are now. */
  renamed: z.array(z.object({ from: z.string(), to: z.string() })).optional(),
  /** A place or issuer named that no plan covers ("Hà Nội"). */
  foreignPlace: z.string().optional(),
  /** The question mentions reports ("nộp những báo cáo nào"): periodic reports count in a period. */
  reports: z.boolean(),
  /** The question leaves out what the previous one said ("còn phối hợp?", "thế còn Sở Y tế?"). */
  followUp: z.boolean(),
  /** Narrow the previous answer's rows ("trong số đó …"). */
  withinPrevious: z.boolean(),
  /** What a count counts: rows, the plan's groups ("mấy nhóm"), or the agencies given rows ("bao nhiêu tổ đảng"). */
  countOf: z.enum(["rows", "groups", "agencies"]),
  /** "ủy ban đó", "cơ quan đó": the agency the previous answer named. */
  previousAgency: z.boolean(),
  /** The question names its own subject (a plan, an agency, a record, a topic of its own). */
  standalone: z.boolean(),
});
export type Query = z.infer<typeof QuerySchema>;

export const EMPTY_QUERY: Query = {
  ask: "topic",
  plans: [],
  scoped: false,
  agencies: [],
  recipients: [],
  agencyMode: "any",
  role: "either",
  kinds: [],
  topic: "",
  page: 1,
  reports: false,
  followUp: false,
  withinPrevious: false,
  previousAgency: false,
  standalone: true,
  countOf: "rows",
};
