// The audit log: who did what, when (registrations, approvals, saves, exports).
import type Database from "better-sqlite3";
import { parseJson, str, strOrNull, type Iso, type Row } from "../rows.js";
import type { AuditRow } from "../types.js";

export interface AuditRepo {
  log(entry: { actor?: string | null; action: string; subject?: string | null; detail?: unknown; at?: Date }): void;
  /** Newest first. */
  recent(limit?: number): AuditRow[];
}

export function auditRepo(db: Database.Database, iso: Iso): AuditRepo {
  const insert = db.prepare("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)");
  const recent = db.prepare("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?");
  return {
    log: (e) => void insert.run(iso(e.at), e.actor ?? null, e.action, e.subject ?? null, e.detail === undefined ? null : JSON.stringify(e.detail)),
    recent: (limit = 50) =>
      (recent.all(limit) as Row[]).map((r) => ({
        id: Number(r.id),
        at: str(r.at),
        actor: strOrNull(r.actor),
        action: str(r.action),
        subject: strOrNull(r.subject),
        detail: parseJson<unknown>(r.detail, null),
      })),
  };
}
