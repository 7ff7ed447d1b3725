// Ingest by format: the 67-page Bắc Ninh PDF and its Word file (the fixtures of
// test/knowledge), each ingested alone from cold, and the chat path — a file
// sent by an admin to its summary (addPlan: check, store, ingest, summarise).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addPlan } from "../src/knowledge/add-plan.js";
import { ingest } from "../src/knowledge/ingest.js";

const FIXTURES = "test/knowledge/fixtures";

function workspace(): { root: string; knowledgeDir: string; dataDir: string } {
  const root = mkdtempSync(join(tmpdir(), "bench-formats-"));
  const knowledgeDir = join(root, "knowledge");
  mkdirSync(knowledgeDir);
  cpSync("knowledge/agencies.json", join(knowledgeDir, "agencies.json"));
  cpSync("knowledge/plans.json", join(knowledgeDir, "plans.json"));
  return { root, knowledgeDir, dataDir: join(root, "data") };
}

/** Wall time, and the CPU time the process (main thread and the PDF worker) spent: on a busy shared machine the second says more. */
async function coldIngest(file: string): Promise<{ ms: number; cpuMs: number; tasks: number; indicators: number }> {
  const ws = workspace();
  try {
    cpSync(join(FIXTURES, file), join(ws.knowledgeDir, file));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await ingest(ws);
    const c = process.cpuUsage(c0);
    return { ms: Math.round(performance.now() - t0), cpuMs: Math.round((c.user + c.system) / 1000), tasks: r.kb.tasks.length, indicators: r.kb.indicators.length };
  } finally {
    rmSync(ws.root, { recursive: true, force: true });
  }
}

export async function benchIngestFormats(): Promise<Record<string, number>> {
  const pdf = await coldIngest("bac-ninh-ubnd-2026.pdf");
  const docx = await coldIngest("bac-ninh-ubnd-2026.docx");
  const ws = workspace();
  try {
    const data = new Uint8Array(readFileSync(join(FIXTURES, "bac-ninh-ubnd-2026.pdf")));
    const t0 = performance.now();
    const r = await addPlan("Kế hoạch Bắc Ninh.pdf", data, ws);
    const chatMs = Math.round(performance.now() - t0);
    return {
      pdf_67_pages_cold_ms: pdf.ms,
      pdf_67_pages_cpu_ms: pdf.cpuMs,
      pdf_tasks: pdf.tasks,
      pdf_indicators: pdf.indicators,
      docx_cold_ms: docx.ms,
      docx_cpu_ms: docx.cpuMs,
      docx_tasks: docx.tasks,
      chat_file_to_summary_ms: chatMs,
      chat_ok: r.ok ? 1 : 0,
    };
  } finally {
    rmSync(ws.root, { recursive: true, force: true });
  }
}
