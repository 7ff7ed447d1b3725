// `reminders --at <ISO time> [--dry-run] [--json] [--chat <channel:id>]`
// Computes — and without --dry-run sends — the digests due at that time.
// --json prints one line per digest section: { chat, rule, items: [{ id, due, lead }] }.
import type { Config } from "../config.js";
import { createTelegramAdapter } from "../channels/telegram.js";
import { createZaloAdapter } from "../channels/zalo/adapter.js";
import { ZaloClient } from "../channels/zalo/client.js";
import type { ChannelName, DialogueCore, Outbox } from "../core/types.js";
import { createLogger, type Logger } from "../log.js";
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import { loadKnowledge } from "../knowledge/load.js";
import { openStore, storePath, type Store } from "../store/index.js";
import { createReminders, RULES, type Reminders, type RunReport } from "../features/reminders/index.js";
import { formatDate, localMoment } from "../text/dates.js";

export const REMINDERS_USAGE =
  "Usage: reminders --at <ISO time, e.g. 2026-03-02T08:00:00+07:00> [--dry-run] [--json] [--chat <channel:chatId>]";

export interface CliArgs {
  at: Date;
  dryRun: boolean;
  json: boolean;
  chats?: string[];
}

export function parseRemindersArgs(args: string[], now: Date = new Date()): CliArgs | string {
  const out: CliArgs = { at: now, dryRun: false, json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--dry-run") out.dryRun = true;
    else if (a === "--json") out.json = true;
    else if (a === "--at" || a.startsWith("--at=")) {
      const v = a === "--at" ? args[++i] : a.slice(5);
      if (!v || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) || Number.isNaN(new Date(v).getTime())) {
        return `--at needs an ISO date-time such as 2026-03-02T08:00:00+07:00, got "${v ?? ""}".`;
      }
      out.at = new Date(v);
    } else if (a === "--chat") {
      const v = args[++i];
      if (!v || !/^(telegram|zalo|console):\S+$/.test(v)) return `--chat needs channel:chatId (e.g. telegram:-100123), got "${v ?? ""}".`;
      (out.chats ??= []).push(v);
    } else if (a === "--help" || a === "-h") return REMINDERS_USAGE;
    else return `Unknown argument "${a}". ${REMINDERS_USAGE}`;
  }
  return out;
}

export interface DigestJson {
  chat: string;
  rule: string;
  items: { id: string; due: string | null; lead: string }[];
}

/** The --json view of a run: one object per (group, rule) section of each digest. */
export function digestsJson(report: RunReport): DigestJson[] {
  const out: DigestJson[] = [];
  for (const d of report.digests) {
    for (const rule of RULES) {
      const items = d.items.filter((i) => i.rule === rule);
      if (items.length) out.push({ chat: d.chat, rule, items: items.map((i) => ({ id: i.id, due: i.due, lead: i.lead })) });
    }
  }
  return out;
}

export interface CliIo {
  config?: Config;
  knowledge?: KnowledgeIndex;
  store?: Store;
  reminders?: Reminders;
  /** Outboxes for sending; without one for a group's channel the group is reported "no-channel" and nothing is claimed. */
  outboxes?: Partial<Record<ChannelName, Outbox>>;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/** Runs the command; resolves the process exit code (0 ok, 1 a digest failed, 2 bad arguments). */
export async function runRemindersCli(args: string[], io: CliIo = {}): Promise<number> {
  const out = io.out ?? ((l: string) => process.stdout.write(l + "\n"));
  const err = io.err ?? ((l: string) => process.stderr.write(l + "\n"));
  const parsed = parseRemindersArgs(args);
  if (typeof parsed === "string") {
    err(parsed);
    return parsed === REMINDERS_USAGE ? 0 : 2;
  }
  let reminders = io.reminders;
  let opened: Store | undefined;
  if (!reminders) {
    const config = io.config ?? (await import("../config.js")).loadConfigFromProcess();
    const knowledge = io.knowledge ?? (await loadKnowledgeIndex(config));
    const store = io.store ?? (opened = openStore(storePath(config.DATA_DIR)));
    const log = createLogger({ level: config.LOG_LEVEL, secrets: [config.TELEGRAM_BOT_TOKEN, config.ZALO_BOT_TOKEN] });
    const outboxes = io.outboxes ?? (parsed.dryRun ? {} : channelOutboxes(config, log));
    reminders = createReminders({ store, knowledge, config, outboxes, log });
  }
  try {
    const report = await reminders.run({ at: parsed.at, dryRun: parsed.dryRun, chats: parsed.chats });
    if (parsed.json) {
      for (const d of digestsJson(report)) out(JSON.stringify(d));
    } else {
      printTable(report, reminders.deps.config.TIMEZONE, parsed.dryRun, out);
    }
    return report.digests.some((d) => d.status === "failed" || d.status === "partial" || d.status === "no-channel") ? 1 : 0;
  } finally {
    opened?.close();
  }
}

/**
 * Send-only outboxes for the channels whose token is configured: the adapters'
 * send() needs neither polling nor a webhook, and the dialogue is never asked.
 */
function channelOutboxes(config: Config, log: Logger): Partial<Record<ChannelName, Outbox>> {
  const silent: DialogueCore = { handle: async () => [] };
  const out: Partial<Record<ChannelName, Outbox>> = {};
  if (config.TELEGRAM_BOT_TOKEN) {
    out.telegram = createTelegramAdapter({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, dialogue: silent, commands: [], log });
  }
  if (config.ZALO_BOT_TOKEN) {
    const client = new ZaloClient({ token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_API_ROOT });
    out.zalo = createZaloAdapter({ client, dialogue: silent, log });
  }
  return out;
}

async function loadKnowledgeIndex(config: Config): Promise<KnowledgeIndex> {
  return loadKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, dataDir: config.DATA_DIR });
}

const WEEKDAYS = ["", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"];

function printTable(report: RunReport, tz: string, dry: boolean, out: (l: string) => void): void {
  const lm = localMoment(new Date(report.at), tz);
  out(`Nhắc việc lúc ${report.at} (${WEEKDAYS[lm.weekday]} ${formatDate(lm.date)})${dry ? " — chạy thử, không gửi" : ""}`);
  if (report.skipped) {
    out(report.skipped === "quiet-hours" ? "Không gửi: đang trong giờ nghỉ." : "Không gửi: không phải ngày làm việc.");
    return;
  }
  out(`Nhóm đến giờ nhận: ${report.due}; có nội dung: ${report.digests.length}; tính toán ${report.computeMs.toFixed(1)} ms`);
  if (report.digests.length === 0) return;
  const rows = report.digests.map((d) => [
    d.chat,
    d.status,
    String(d.items.length),
    RULES.map((r) => d.items.filter((i) => i.rule === r).length).join("/"),
    String(d.messages),
    d.catchUpSince ? `bù từ ${formatDate(d.catchUpSince)}` : "",
  ]);
  const head = ["nhóm", "trạng thái", "mục", "quá hạn/sắp hạn/báo cáo/chưa cập nhật", "tin", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) out(r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
  for (const d of report.digests) if (d.error) out(`${d.chat}: ${d.error}`);
}
