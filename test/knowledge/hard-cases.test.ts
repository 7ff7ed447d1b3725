// The documents' mess, named case by case: a row cut at a page break is one
// record with every cell rejoined; TT numbers skip and repeat; cells name
// several agencies or none; every deadline form; decomposed Unicode.
import { describe, expect, it } from "vitest";
import { realKnowledge, task } from "./helpers.js";

describe("rows split across page breaks", () => {
  it("rejoins the lead agency cut between pages ('Sở Khoa học và' + 'Công nghệ')", () => {
    const t = task("BN-3.9");
    expect(t.name).toBe("Nghiên cứu hình thành Quỹ phát triển khoa học, công nghệ và đổi mới sáng tạo ở tỉnh theo quy định của pháp luật.");
    expect(t.lead).toEqual(["Sở Khoa học và Công nghệ"]);
    expect(t.coordinators).toEqual(["Sở Tài chính", "Sở Tư pháp", "Sở Nội vụ", "cơ quan liên quan"]);
    expect(t.source).toEqual({ file: "bac-ninh-ubnd-2026.md", line: 391, endLine: 395 });
  });

  it("rejoins a deadline cut between pages ('15/12/2026 (theo lộ trình của' + 'Trung ương)')", () => {
    const t = task("BN-7.20");
    expect(t.deadline).toMatchObject({ raw: "15/12/2026 (theo lộ trình của Trung ương)", due: "2026-12-15", kind: "date" });
    expect(t.name).toBe("Triển khai thu phí không dừng tại bến xe, bãi đỗ trong đô thị, đánh giá hiệu quả đề cải thiện quản lý giao thông, thúc đẩy văn minh đô thị.");
  });

  it("continues a row after a footnote and a new table header, without doubling the word at the break", () => {
    const t = task("BN-4.6");
    expect(t.lead).toEqual(["Sở Khoa học và Công nghệ", "Công an tỉnh"]);
    expect(t.coordinators).toEqual(["Các sở, ngành, địa phương"]);
    expect(t.deadline).toMatchObject({ raw: "Theo Kế hoạch phát triển dữ liệu 2026", due: null, kind: "elsewhere" });
  });

  it("keeps the continued name of an indicator (TT 30)", () => {
    const i = realKnowledge().record("BN-CT-E30");
    expect(i?.kind === "indicator" && i.name).toBe(
      "Tỷ lệ thủ tục hành chính được tiếp nhận, giải quyết phi địa giới hành chính giữa trung ương và địa phương, giữa các cấp chính quyền.",
    );
  });
});

describe("TT numbers that skip and repeat", () => {
  it("gives a repeated TT its own record and id", () => {
    expect(task("BN-7.22").lead).toEqual(["Sở Nông nghiệp và Môi trường"]);
    const again = task("BN-7.22b");
    expect(again.ordinal).toBe("22");
    expect(again.lead).toEqual(["Sở Tài chính"]);
    expect(again.flags).toContain("repeated-ordinal");
  });
  it("does not invent a skipped TT", () => {
    expect(realKnowledge().task("BN-5.13")).toBeUndefined();
    expect(task("BN-5.14").name).toMatch(/^Phát triển thị trường khoa học và công nghệ/);
  });
});

describe("agency cells", () => {
  it("lists each agency of a multi-agency cell and drops 'theo chức năng, nhiệm vụ'", () => {
    expect(task("BN-1.4").lead).toEqual(["Sở Khoa học và Công nghệ", "Sở Nội vụ", "Công an tỉnh"]);
    expect(task("BN-2.1").lead).toEqual(["Báo và Phát thanh, truyền hình", "Công Thông tin điện tử tỉnh", "Sở Văn hóa, Thể thao và Du lịch"]);
    expect(task("BN-2.1").leadAgencies.map((a) => a.canonical)).toEqual([
      "Báo và Phát thanh, truyền hình Bắc Ninh",
      "Cổng Thông tin điện tử tỉnh",
      "Sở Văn hóa, Thể thao và Du lịch",
    ]);
  });
  it("keeps a non-agency lead cell as written and flags it", () => {
    const t = task("BN-4.10");
    expect(t.lead).toEqual(["Theo Đề án được UBND tỉnh phê duyệt"]);
    expect(t.leadAgencies[0]).toMatchObject({ isAgency: false });
    expect(t.flags).toContain("lead-not-agency");
  });
  it("maps aliases to one canonical agency, keeping the text as written", () => {
    const a = task("BN-4.16").leadAgencies[0]!;
    expect(a).toMatchObject({ text: "Bộ CHQS tỉnh", canonical: "Bộ Chỉ huy Quân sự tỉnh" });
    expect(task("BN-4.18").leadAgencies[0]!.canonical).toBe("Bộ Chỉ huy Quân sự tỉnh");
    expect(realKnowledge().agency("KH&CN")?.canonical).toBe("Sở Khoa học và Công nghệ");
    expect(realKnowledge().agency("so khcn")?.canonical).toBe("Sở Khoa học và Công nghệ");
    expect(realKnowledge().agency("VP UBND tỉnh")?.canonical).toBe("Văn phòng UBND tỉnh");
  });
  it("strips footnote markers and LaTeX from indicator cells", () => {
    const tfp = realKnowledge().record("BN-CT-C18");
    expect(tfp?.kind === "indicator" && [tfp.lead, tfp.leadAgencies[0]!.canonical, tfp.target2026, tfp.target2030]).toEqual([
      ["Sở Tài Chính"],
      "Sở Tài chính",
      "48",
      "≥ 55%",
    ]);
    const c9 = realKnowledge().record("BN-CT-C9");
    expect(c9?.kind === "indicator" && [c9.target2026, c9.target2030, c9.unit]).toEqual(["≥ 40", "≥ 70", "Doanh nghiệp"]);
  });
});

describe("deadline forms", () => {
  const d = (id: string) => task(id).deadline;
  it("dd/mm/yyyy and 'Trước ngày dd/mm/yyyy' → that date", () => {
    expect(d("BN-1.1")).toMatchObject({ raw: "31/3/2026", due: "2026-03-31", kind: "date" });
    expect(d("LC-12")).toMatchObject({ raw: "Trước ngày 30/6/2026", due: "2026-06-30", kind: "date" });
  });
  it("'Tháng m/yyyy' → the month's last day", () => {
    expect(d("BN-4.3")).toMatchObject({ raw: "Tháng 9/2026 (khi đủ điều kiện)", due: "2026-09-30", kind: "month" });
  });
  it("'Quý III/2026' → the quarter's last day", () => {
    expect(d("DM-4")).toMatchObject({ due: "2026-09-30", kind: "quarter" });
    expect(d("DM-6")).toMatchObject({ due: "2026-03-31", kind: "quarter" });
  });
  it("'Năm 2026' and 'Trong năm 2026' → 31/12", () => {
    expect(d("DM-8")).toMatchObject({ raw: "Năm 2026", due: "2026-12-31", kind: "year" });
    expect(d("LC-1")).toMatchObject({ raw: "Trong năm 2026", due: "2026-12-31", kind: "year" });
    expect(d("BN-3.2")).toMatchObject({ due: "2026-12-31", kind: "year" });
  });
  it("several milestones → the first is due, all are kept", () => {
    const x = d("BN-4.2");
    expect(x.due).toBe("2026-12-15");
    expect(x.milestones.map((m) => [m.due, m.kind])).toEqual([
      ["2026-12-15", "date"],
      ["2028-12-31", "year"],
    ]);
  });
  it("recurring and set-elsewhere deadlines have no due date", () => {
    expect(d("BN-1.2")).toMatchObject({ raw: "Thường xuyên", due: null, kind: "recurring" });
    expect(d("DM-1")).toMatchObject({ raw: "Nhiệm vụ thường xuyên", due: null, kind: "recurring" });
    expect(d("BN-5.20")).toMatchObject({ raw: "Hàng năm", due: null, kind: "recurring" });
    expect(d("BN-6.5")).toMatchObject({ raw: "Theo lộ trình của Trung ương", due: null, kind: "elsewhere" });
    expect(d("BN-4.10")).toMatchObject({ raw: "Theo Đề án được UBND tỉnh phê duyệt", due: null, kind: "elsewhere" });
  });
});

describe("labelled tasks", () => {
  it("keeps both 'chủ trì / thời gian' blocks of Đa Mai task 9 in one record", () => {
    const t = task("DM-9");
    expect(t.lead).toEqual(["UBND phường"]);
    expect(t.deadline.raw).toBe("Năm 2026; Năm 2026 (hoàn thành phê duyệt Đề án)");
    expect(t.deadline.milestones).toHaveLength(2);
    expect(t.flags).toContain("several-label-blocks");
  });
  it("makes each lettered sub-item of Đa Mai task 18 a task with its own lead", () => {
    expect(task("DM-18a").lead).toEqual(["Văn phòng Đảng ủy"]);
    expect(task("dm-18b").leadAgencies[0]!.canonical).toBe("Ban Xây dựng Đảng");
    expect(task("DM-18dd").ordinal).toBe("18đ");
    expect(task("DM-18e").parent).toBe("Tiếp nhận và đưa vào sử dụng hệ thống thông tin do Trung ương triển khai chuyển giao");
  });
  it("reads Lai Châu's '+ Đơn vị phối hợp' and multi-agency leads with their qualifiers removed", () => {
    expect(task("LC-12")).toMatchObject({ lead: ["Đảng ủy UBND tỉnh"], coordinators: ["Đảng ủy các xã, phường"] });
    expect(task("LC-6").lead).toEqual(["Các ban đảng tỉnh", "các đảng bộ trực thuộc", "Đảng ủy UBND tỉnh", "Đảng ủy Ủy ban MTTQ Việt Nam tỉnh"]);
    expect(task("LC-6").leadRaw).toContain("lãnh đạo các đoàn thể tỉnh triển khai");
  });
  it("normalises decomposed Unicode to NFC", () => {
    const t = task("LC-11");
    expect(t.name).toBe(t.name.normalize("NFC"));
    expect(t.name.startsWith("Đôn đốc các nhà mạng thực hiện phủ sóng 4G")).toBe(true);
  });
  it("restarts indicator numbering per group in Đa Mai (A1…E14)", () => {
    const kb = realKnowledge();
    const dm = kb.indicators.filter((i) => i.plan === "da-mai-dang-uy-2026");
    expect(dm.map((i) => i.id).slice(0, 4)).toEqual(["DM-CT-A1", "DM-CT-A2", "DM-CT-A3", "DM-CT-B1"]);
    expect(kb.record("DM-CT-E14")).toMatchObject({ name: "Tỷ lệ người dân có Sổ sức khỏe điện tử", target2026: "≥ 95", target2030: "≥ 95%" });
    expect(kb.record("DM-CT-C2")).toMatchObject({ target2026: "1", target2030: "≥ 2", group: { number: "C", title: "Phát triển khoa học, công nghệ" } });
  });
});

describe("duties of the running text", () => {
  const duty = (id: string) => {
    const r = realKnowledge().record(id);
    if (r?.kind !== "duty") throw new Error(`no duty ${id}`);
    return r;
  };
  it("reads Bắc Ninh's periodic reports: monthly before the 20th, quarterly before the 15th of the quarter's last month, yearly before 20/11", () => {
    const d = duty("BN-D2");
    expect(d.schedule.map((s) => [s.period, s.month, s.day])).toEqual([
      ["month", null, 20],
      ["quarter", 3, 15],
      ["year", 11, 20],
    ]);
    expect(d.reportTo).toBe("Sở Khoa học và Công nghệ");
  });
  it("gives 'theo tinh thần tại mục 2' the schedule of duty 2", () => {
    const d = duty("BN-D4");
    expect(d.agencies.map((a) => a.canonical)).toContain("Công an tỉnh");
    expect(d.schedule.map((s) => [s.period, s.month, s.day])).toEqual([
      ["month", null, 20],
      ["quarter", 3, 15],
      ["year", 11, 20],
    ]);
  });
  it("reads Bắc Giang's 6-monthly reports before 15/6 and 1/12", () => {
    const d = duty("BG-D3");
    expect(d.schedule.map((s) => [s.period, s.month, s.day])).toEqual([
      ["year", 6, 15],
      ["year", 12, 1],
    ]);
    expect(d.agencies.map((a) => a.canonical)).toEqual(["Các sở, ban, ngành, UBND cấp huyện"]);
  });
  it("reads 'X chủ trì, phối hợp với Y' sentences and deadlines in running text", () => {
    expect(duty("BG-D5")).toMatchObject({ agency: "Sở Tài chính", coordinators: ["các sở, ngành, địa phương"] });
    expect(duty("BG-D1").deadline).toMatchObject({ due: "2025-02-28", kind: "month" });
    expect(duty("TTBN-D1")).toMatchObject({ agency: "Văn phòng", coordinators: ["các phòng nghiệp vụ"] });
    expect(duty("TTBN-D1").agencies[0]!.canonical).toBe("Văn phòng Thanh tra tỉnh");
    expect(duty("DM-D4").deadline).toMatchObject({ due: "2026-01-30", kind: "date" });
  });
});
