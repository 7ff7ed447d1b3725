// A filtered task view as an Excel workbook (exceljs, loaded only when someone
// exports): the same columns as the CSV, Vietnamese headers, dates as real
// dates (in local time), widths set, the header frozen with a filter on it, and
// a second sheet saying when, by whom and with which filters it was made.
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import { localMoment } from "../../text/dates.js";
import { EXPORT_COLUMNS, exportOrder, type TaskStanding } from "../progress/index.js";

export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A local date ("2026-06-30") as the Date exceljs writes as that calendar day. */
const dateCell = (iso: string): Date | null => {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
};

/** An instant as the Date exceljs writes as its local wall-clock time (Excel has no time zones). */
const instantCell = (iso: string, timeZone: string): Date => {
  const lm = localMoment(new Date(iso), timeZone);
  const d = dateCell(lm.date)!;
  return new Date(d.getTime() + lm.minutes * 60_000);
};

/** exceljs takes a second to load: start loading it when someone signs in, not when they press "Tải". */
export const warmXlsx = (): void => void import("exceljs").catch(() => undefined);

export interface XlsxInput {
  rows: readonly TaskStanding[];
  knowledge: KnowledgeIndex;
  timeZone: string;
  now: Date;
  /** Lines for the "Thông tin" sheet: [label, value]. */
  about: [string, string][];
}

export async function exportXlsx(input: XlsxInput): Promise<Buffer> {
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.creator = "Trợ lý Kế hoạch";
  wb.created = input.now;
  const planName = (id: string) => input.knowledge.plan(id)?.shortName ?? id;

  const ws = wb.addWorksheet("Nhiệm vụ", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = EXPORT_COLUMNS.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width,
    style: c.kind === "date" ? { numFmt: "dd/mm/yyyy" } : c.kind === "instant" ? { numFmt: "dd/mm/yyyy hh:mm" } : c.width >= 30 ? { alignment: { wrapText: true, vertical: "top" } } : { alignment: { vertical: "top" } },
  }));
  for (const t of [...input.rows].sort(exportOrder)) {
    ws.addRow(
      EXPORT_COLUMNS.map((c) => {
        const v = c.value(t, planName);
        if (v === null || v === "") return null;
        if (c.kind === "date") return dateCell(String(v));
        if (c.kind === "instant") return instantCell(String(v), input.timeZone);
        return v;
      }),
    );
  }
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: "middle", wrapText: true };
  header.height = 32;
  header.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF2F4F7" } };
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, ws.rowCount), column: EXPORT_COLUMNS.length } };

  const info = wb.addWorksheet("Thông tin");
  info.columns = [{ width: 24 }, { width: 80 }];
  for (const [k, v] of input.about) info.addRow([k, v]);
  info.getColumn(1).font = { bold: true };

  return Buffer.from(await wb.xlsx.writeBuffer());
}
