// A small knowledge base shaped like the real one (rows copied from the plans),
// for unit tests that must not wait on ingestion.
import { loadConfig, type Config } from "../../../src/config.js";
import { KnowledgeIndex } from "../../../src/knowledge/knowledge-index.js";
import type { AgencyRef, Deadline, DeadlineKind, Duty, Indicator, KnowledgeBase, Passage, Plan, Task } from "../../../src/knowledge/types.js";
import { slug } from "../../../src/text/vietnamese.js";

const ALIASES: Record<string, string[]> = {
  "Sở Khoa học và Công nghệ": ["Sở KH&CN", "Sở KHCN", "KH&CN", "KHCN"],
  "Công an tỉnh": ["CA tỉnh"],
  "Văn phòng UBND tỉnh": ["VP UBND tỉnh", "VPUBND tỉnh"],
  "Bộ Chỉ huy Quân sự tỉnh": ["Bộ CHQS tỉnh"],
  "UBND phường": [],
  "Sở Nông nghiệp và Môi trường": ["Sở NN&MT"],
  "Sở Tài chính": [],
  "Sở Y tế": [],
  "Các sở, ngành, địa phương": [],
};

export function ref(text: string): AgencyRef {
  const canonical = text === "Bộ CHQS tỉnh" ? "Bộ Chỉ huy Quân sự tỉnh" : text;
  return { text, canonical, id: slug(canonical), isAgency: true, isGroup: /^Các /.test(text) };
}

function deadline(raw: string, due: string | null, kind: DeadlineKind): Deadline {
  return { raw, due, kind, milestones: [{ raw, due, kind }] };
}

const plans: Plan[] = [
  { id: "bac-ninh-ubnd-2026", code: "BN", shortName: "KH UBND tỉnh Bắc Ninh 2026", title: "Kế hoạch", issuer: "UBND tỉnh Bắc Ninh", locality: "Bắc Ninh", number: null, date: null, file: "bac-ninh-ubnd-2026.md", aliases: ["ubnd bac ninh", "tinh bac ninh", "bac ninh"] },
  { id: "da-mai-dang-uy-2026", code: "DM", shortName: "KH Đảng ủy phường Đa Mai 2026", title: "Kế hoạch", issuer: "Ban Thường vụ Đảng ủy phường Đa Mai", locality: "phường Đa Mai", number: null, date: null, file: "da-mai-dang-uy-2026.md", aliases: ["da mai", "phuong da mai"] },
  { id: "bac-giang-ubnd-2025", code: "BG", shortName: "KH UBND tỉnh Bắc Giang (NQ 03/NQ-CP)", title: "Kế hoạch", issuer: "UBND tỉnh Bắc Giang", locality: "Bắc Giang", number: null, date: null, file: "bac-giang-ubnd-2025.txt", aliases: ["bac giang"] },
];

let line = 100;
function task(plan: string, code: string, sec: [string, string], ordinal: string, name: string, lead: string[], coord: string[], dl: Deadline): Task {
  line += 3;
  return {
    kind: "task",
    id: `${code}-${sec[0] === "VIII" ? 8 : sec[0] === "IV" ? 4 : sec[0] === "V" ? 5 : sec[0] === "X" ? 10 : 1}.${ordinal}`,
    plan,
    section: { number: sec[0], title: sec[1] },
    ordinal,
    name,
    lead,
    coordinators: coord,
    leadAgencies: lead.map(ref),
    coordinatorAgencies: coord.map(ref),
    leadRaw: lead.join(", "),
    coordinatorsRaw: coord.join(", "),
    deadline: dl,
    basis: "",
    source: { file: plan + ".md", line, endLine: line + 2 },
    flags: [],
  };
}

export const tasks: Task[] = [
  task("bac-ninh-ubnd-2026", "BN", ["VIII", "Bảo đảm an ninh, an toàn thông tin"], "10", "Tổ chức triển khai diễn tập thực chiến ứng cứu sự cố an toàn, an ninh mạng tỉnh Bắc Ninh", ["Công an tỉnh"], ["Các sở, ngành, địa phương"], deadline("15/12/2026", "2026-12-15", "date")),
  task("bac-ninh-ubnd-2026", "BN", ["VIII", "Bảo đảm an ninh, an toàn thông tin"], "7", "Hướng dẫn, triển khai các giải pháp mã hóa, bảo mật thông tin, dữ liệu trong lĩnh vực quốc phòng.", ["Bộ CHQS tỉnh"], ["Các sở, ngành, địa phương"], deadline("Thường xuyên", null, "recurring")),
  task("bac-ninh-ubnd-2026", "BN", ["V", "Phát triển hệ sinh thái khởi nghiệp, đổi mới sáng tạo"], "1", "Xây dựng Đề án thành lập Trung tâm đổi mới sáng tạo tỉnh Bắc Ninh", ["Sở Khoa học và Công nghệ"], ["Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp"], deadline("15/12/2026", "2026-12-15", "date")),
  task("bac-ninh-ubnd-2026", "BN", ["IV", "Phát triển hạ tầng số, ứng dụng, dịch vụ số"], "14", "Triển khai nền tảng số công nghệ IoT, trí tuệ nhân tạo (AI), mô phỏng dữ liệu Digital twin để giám sát và cảnh báo tình trạng ô nhiễm môi trường không khí trên địa bàn tỉnh Bắc Ninh", ["Sở Nông nghiệp và Môi trường"], ["Các sở, ngành, địa phương"], deadline("15/12/2026", "2026-12-15", "date")),
  task("bac-ninh-ubnd-2026", "BN", ["IV", "Phát triển hạ tầng số, ứng dụng, dịch vụ số"], "19", "Hoàn thành và đưa vào khai thác hiệu quả các cơ sở dữ liệu quốc gia; các cơ sở dữ liệu dùng chung theo danh mục đã ban hành của bộ, ngành, địa phương để phát triển kinh tế - xã hội", ["Công an tỉnh"], ["Sở Khoa học và Công nghệ"], deadline("Tháng 6/2026", "2026-06-30", "month")),
  task("bac-ninh-ubnd-2026", "BN", ["X", "Tổ chức triển khai các nhiệm vụ được giao"], "10", "Chủ động rà soát khắc phục triệt để tình trạng còn lỗi của các hệ thống thông tin.", ["Sở Khoa học và Công nghệ"], ["Các sở, ngành, địa phương"], deadline("30/06/2026", "2026-06-30", "date")),
  task("bac-ninh-ubnd-2026", "BN", ["IV", "Phát triển hạ tầng số, ứng dụng, dịch vụ số"], "3", "Nghiên cứu, đăng ký thí điểm triển khai bản sao số tại tỉnh Bắc Ninh khi đáp ứng đủ điều kiện theo hướng dẫn của bộ, ngành Trung ương.", ["Sở Xây dựng"], ["Các sở, ngành, địa phương"], deadline("Tháng 9/2026 (khi đủ điều kiện)", "2026-09-30", "month")),
  task("da-mai-dang-uy-2026", "DM", ["V", "Đẩy mạnh chuyển đổi số"], "19", "Triển khai, ứng dụng nền tảng số công nghệ IoT, trí tuệ nhân tạo (AI), mô phỏng dữ liệu Digital twin để giám sát và cảnh báo tình trạng ô nhiễm môi trường không khí trên địa bàn tỉnh Bắc Ninh bảo đảm phù hợp với định hướng của quốc gia", ["UBND phường"], [], deadline("Năm 2026.", "2026-12-31", "year")),
  task("da-mai-dang-uy-2026", "DM", ["IV", "Phát triển nguồn nhân lực"], "17", "Tham gia diễn tập thực chiến ứng cứu sự cố an toàn, an ninh mạng.", ["UBND phường"], [], deadline("Năm 2026.", "2026-12-31", "year")),
];

export const indicators: Indicator[] = [
  {
    kind: "indicator", id: "BN-CT-A1", plan: "bac-ninh-ubnd-2026", group: { number: "A", title: "Phát triển hạ tầng" }, ordinal: "1",
    name: "Tỷ lệ phủ sóng 5G trên địa bàn", unit: "% dân số", lead: ["Sở Khoa học và Công nghệ"], leadAgencies: [ref("Sở Khoa học và Công nghệ")],
    target2026: "100%", target2030: "100%", note: "KH07-TU, KH13-TU", source: { file: "bac-ninh-ubnd-2026.md", line: 247, endLine: 247 },
  },
  {
    kind: "indicator", id: "BN-CT-C9", plan: "bac-ninh-ubnd-2026", group: { number: "C", title: "Phát triển khoa học, công nghệ" }, ordinal: "9",
    name: "Số doanh nghiệp khoa học và công nghệ trên địa bàn.", unit: "Doanh nghiệp", lead: ["Sở Khoa học và Công nghệ"], leadAgencies: [ref("Sở Khoa học và Công nghệ")],
    target2026: "≥ 40", target2030: "≥ 70", note: "KH07-TU, KH13-TU", source: { file: "bac-ninh-ubnd-2026.md", line: 261, endLine: 261 },
  },
];

export const duties: Duty[] = [
  {
    kind: "duty", id: "BG-D3", plan: "bac-giang-ubnd-2025", section: { number: "IV", title: "TỔ CHỨC THỰC HIỆN" },
    agency: "Thủ trưởng các sở, ban, ngành, UBND cấp huyện", agencies: [], coordinators: [],
    action: "Thủ trưởng các sở, ban, ngành, UBND cấp huyện trực tiếp chỉ đạo, phân công thực hiện các nội dung của Kế hoạch; kiểm tra, đôn đốc việc triển khai thực hiện Kế hoạch này, định kỳ 6 tháng báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 15 tháng 6 và trước ngày 01 tháng 12 để tổng hợp, báo cáo UBND tỉnh.",
    deadline: null,
    schedule: [{ period: "half", day: 15, month: 6, raw: "trước ngày 15 tháng 6" }, { period: "half", day: 1, month: 12, raw: "trước ngày 01 tháng 12" }],
    reportTo: "Sở Khoa học và Công nghệ",
    source: { file: "bac-giang-ubnd-2025.txt", line: 870, endLine: 875 },
  },
];

export const passages: Passage[] = [
  {
    kind: "passage", id: "BG-P40", plan: "bac-giang-ubnd-2025", section: { number: "III", title: "KINH PHÍ THỰC HIỆN" }, path: ["III. KINH PHÍ THỰC HIỆN"],
    text: "Kinh phí thực hiện: Ngân sách nhà nước. Huy động các nguồn lực xã hội hóa. Vốn đầu tư của doanh nghiệp. Các nguồn vốn hợp pháp khác.",
    source: { file: "bac-giang-ubnd-2025.txt", line: 836, endLine: 843 },
  },
];

export function fixtureKb(): KnowledgeBase {
  const agencies = Object.entries(ALIASES).map(([canonical, aliases]) => ({ id: slug(canonical), canonical, aliases, isGroup: /^Các /.test(canonical) }));
  return { version: 1, plans, tasks, indicators, duties, passages, agencies, warnings: [] };
}

export function fixtureIndex(): KnowledgeIndex {
  return new KnowledgeIndex(fixtureKb());
}

export function testConfig(extra: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: "", KNOWLEDGE_DIR: "knowledge", ...extra });
}

export const FIXED_NOW = new Date("2026-11-23T08:00:00Z");
