// The `npm run ingest` report, as lines: per plan the format and layouts
// recognised and the counts; then what could not be read (file and line, or
// page), and every deadline not understood.
import type { IngestResult } from "./ingest.js";

export function ingestReport(r: IngestResult): string[] {
  const out: string[] = [];
  for (const f of r.files) {
    out.push(
      `${f.plan.padEnd(28)} ${f.code.padEnd(5)} ${String(f.tasks).padStart(4)} tasks ${String(f.indicators).padStart(4)} indicators ${String(f.duties).padStart(3)} duties ${String(f.passages).padStart(4)} passages ${String(f.warnings).padStart(3)} warnings${f.cached ? "  (unchanged)" : ""}`,
    );
    out.push(`  ${f.format || "?"}: ${f.layouts.length ? f.layouts.join("; ") : "no tasks, indicators or duties recognised"}${f.unknownDeadlines ? `; ${f.unknownDeadlines} deadlines not understood` : ""}`);
  }
  for (const f of r.failed) out.push(`not loaded: ${f.file}: ${f.message}`);
  const deadlines = r.kb.warnings.filter((w) => /deadline .* not understood/.test(w.message));
  for (const w of r.kb.warnings) if (!deadlines.includes(w) && !r.failed.some((f) => f.file === w.file && w.line === 0)) out.push(`warning: ${w.file}:${w.line}: ${w.message}`);
  if (deadlines.length) {
    out.push(`deadlines not understood (${deadlines.length}):`);
    for (const w of deadlines) out.push(`  ${w.file}:${w.line}: ${w.message}`);
  }
  if (r.archived.length) out.push(`${r.archived.length} records archived (gone from a newer version): ${r.archived.slice(0, 10).map((x) => x.id).join(", ")}${r.archived.length > 10 ? ", …" : ""}`);
  out.push(`${r.kb.plans.length} plans, ${r.kb.agencies.length} agencies, in ${Math.round(r.ms)} ms`);
  return out;
}
