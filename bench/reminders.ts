// Reminders benchmark: one run for 1,000 subscribed groups over all plans.
//   npx tsx bench/reminders.ts [--json] [--sample N]
// Figures:
//   compute_ms            rules + de-duplication for every group (a dry run)
//   pipeline_sends_per_s  claim → render → send → mark with pacing OFF (what the code could push)
//   paced_*_sends_per_s   measured with pacing ON against an in-process fake outbox, on a sample
//                         of groups per channel (150 Telegram, 30 Zalo by default; the full
//                         paced run is projected from it)
//   limit_*_per_s         the configured pacing (Telegram 25/s, Zalo 10/s)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config.js";
import type { Delivery, OutMessage, Outbox } from "../src/core/types.js";
import type { KnowledgeIndex } from "../src/knowledge/knowledge-index.js";
import { loadKnowledge } from "../src/knowledge/load.js";
import { createReminders, type Reminders } from "../src/features/reminders/service.js";
import { CHANNEL_PACING, type Pacing } from "../src/features/reminders/send.js";
import { openStore } from "../src/store/index.js";

const GROUPS = 1000;
const AT = new Date("2026-03-16T08:00:00+07:00"); // a Monday, two months after the groups subscribed
const SUBSCRIBED = new Date("2026-01-12T08:00:00+07:00");

function fakeOutbox(textLimit: number): Outbox & { messages: number; chars: number } {
  const box = {
    textLimit,
    messages: 0,
    chars: 0,
    async send(_chatId: string, messages: OutMessage[]): Promise<Delivery> {
      box.messages += messages.length;
      for (const m of messages) box.chars += m.text.length;
      return { status: "delivered" };
    },
  };
  return box;
}

/** 1,000 groups, half Telegram, half Zalo; group i follows plan i mod P and the i-th leading agency. */
function setup(knowledge: KnowledgeIndex, pacing: Record<"telegram" | "zalo" | "console", Pacing>) {
  const store = openStore(":memory:", { synchronous: "NORMAL" });
  const tg = fakeOutbox(4096);
  const zl = fakeOutbox(2000);
  const reminders: Reminders = createReminders({
    store,
    knowledge,
    outboxes: { telegram: tg, zalo: zl },
    config: loadConfig({}),
    clock: () => AT,
    options: { pacing },
  });
  const plans = knowledge.plans.map((p) => p.id);
  const agencies = [...new Set(knowledge.tasks.flatMap((t) => t.leadAgencies.filter((a) => a.isAgency && !a.isGroup).map((a) => a.id)))];
  store.transaction(() => {
    for (let i = 0; i < GROUPS; i++) {
      const channel = i % 2 === 0 ? "telegram" : "zalo";
      const chatId = `-${100000 + i}`;
      const chat = reminders.repo.ensureChat(channel, chatId, SUBSCRIBED).chat;
      const targets = [{ kind: "plan" as const, id: plans[i % plans.length]! }];
      if (agencies.length) targets.push({ kind: "agency" as const, id: agencies[i % agencies.length]! } as never);
      reminders.repo.subscribe(chat, targets, "bench", SUBSCRIBED);
    }
  });
  return { store, reminders, tg, zl };
}

export async function benchReminders(opts: { sample?: number } = {}): Promise<Record<string, number>> {
  // Enough groups to keep each channel's pacer busy (Telegram's 3 s per-group gap needs many groups in flight).
  const sampleOf = { telegram: opts.sample ?? 150, zalo: Math.max(1, Math.round((opts.sample ?? 150) / 5)) };
  const dataDir = mkdtempSync(join(tmpdir(), "bench-reminders-"));
  try {
    const knowledge = await loadKnowledge({ knowledgeDir: "knowledge", dataDir });

    // 1. compute only
    const a = setup(knowledge, CHANNEL_PACING);
    const t0 = performance.now();
    const dry = await a.reminders.run({ at: AT, dryRun: true });
    const computeWall = performance.now() - t0;
    const items = dry.digests.reduce((n, d) => n + d.items.length, 0);
    const messages = dry.digests.reduce((n, d) => n + d.messages, 0);
    a.store.close();

    // 2. the whole pipeline with pacing off
    const unpaced: Pacing = { perSecond: 0, perChatGapMs: 0, maxAttempts: 1 };
    const b = setup(knowledge, { telegram: unpaced, zalo: unpaced, console: unpaced });
    const t1 = performance.now();
    const full = await b.reminders.run({ at: AT });
    const pipelineMs = performance.now() - t1;
    b.store.close();

    // 3. paced, on a sample of groups per channel
    const c = setup(knowledge, CHANNEL_PACING);
    const chats = (ch: "telegram" | "zalo") =>
      c.reminders.repo.chats().filter((x) => x.channel === ch).slice(0, sampleOf[ch]).map((x) => x.chat);
    const paced = async (ch: "telegram" | "zalo") => {
      const t = performance.now();
      const r = await c.reminders.run({ at: AT, chats: chats(ch) });
      const s = (performance.now() - t) / 1000;
      return { msgs: r.messagesSent, s };
    };
    const [ptg, pzl] = await Promise.all([paced("telegram"), paced("zalo")]);
    c.store.close();

    const tgMsgs = full.digests.filter((d) => d.channel === "telegram").reduce((n, d) => n + d.messages, 0);
    const zlMsgs = full.digests.filter((d) => d.channel === "zalo").reduce((n, d) => n + d.messages, 0);
    const tgRate = ptg.msgs / ptg.s;
    const zlRate = pzl.msgs / pzl.s;
    return {
      groups: GROUPS,
      tasks: knowledge.tasks.length,
      duties: knowledge.duties.length,
      groups_with_digest: dry.digests.length,
      reminder_items: items,
      messages: messages,
      compute_ms: Math.round(dry.computeMs * 10) / 10,
      compute_wall_ms: Math.round(computeWall * 10) / 10,
      pipeline_ms: Math.round(pipelineMs),
      pipeline_sends_per_s: Math.round(full.messagesSent / (pipelineMs / 1000)),
      limit_telegram_per_s: CHANNEL_PACING.telegram.perSecond,
      limit_zalo_per_s: CHANNEL_PACING.zalo.perSecond,
      paced_sample_groups_telegram: sampleOf.telegram,
      paced_sample_groups_zalo: sampleOf.zalo,
      paced_telegram_sends_per_s: Math.round(tgRate * 10) / 10,
      paced_zalo_sends_per_s: Math.round(zlRate * 10) / 10,
      projected_paced_run_s: Math.round(Math.max(tgMsgs / tgRate, zlMsgs / zlRate)),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const i = args.indexOf("--sample");
  const figures = await benchReminders({ sample: i >= 0 ? Number(args[i + 1]) : undefined });
  if (args.includes("--json")) console.log(JSON.stringify(figures, null, 2));
  else {
    console.log("reminders (1,000 groups over all plans)");
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(34)} ${v.toLocaleString("en-US")}`);
  }
}
