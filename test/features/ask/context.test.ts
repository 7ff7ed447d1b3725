// Conversation context kept in the store (a restart keeps a follow-up's thread),
// one thread per person in each chat, and "tiến độ …" answered from the store's
// statuses — in the chat and in the CLI alike.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAskCli } from "../../../src/cli/ask.js";
import { loadConfig, type Config } from "../../../src/config.js";
import { createAskCommand } from "../../../src/features/ask/command.js";
import { createAskService, storedConversations } from "../../../src/features/ask/index.js";
import { statusReader } from "../../../src/features/progress/index.js";
import type { KnowledgeIndex } from "../../../src/knowledge/knowledge-index.js";
import { loadKnowledge } from "../../../src/knowledge/load.js";
import { openStore, type Store } from "../../../src/store/index.js";
import type { Turn } from "../../../src/core/types.js";

const NOW = new Date("2026-11-23T01:00:00Z");
let kb: KnowledgeIndex;
let config: Config;
let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ask-context-"));
  config = loadConfig({ DATA_DIR: dir, KNOWLEDGE_DIR: "knowledge" });
  kb = await loadKnowledge({ knowledgeDir: "knowledge", dataDir: dir });
  store = openStore(join(dir, "bot.sqlite"));
}, 60_000);
afterAll(() => store.close());

const bullets = (a: string) => a.split("\n").filter((l) => l.startsWith("• ")).map((l) => l.slice(2, l.indexOf(" — ")));

describe("the conversation context is the store's", () => {
  it("a follow-up after a restart pages the list asked before it; without the store it would start from nothing", async () => {
    const q = "Sở Khoa học và Công nghệ chủ trì những nhiệm vụ nào trong kế hoạch của UBND tỉnh Bắc Ninh?";
    const first = await createAskService(kb, config, { conversations: storedConversations(store.askContext) });
    const j = await first.askJson(q, { now: NOW, conversation: "telegram:-100:7" });
    expect(j.total).toBeGreaterThan(8);
    // The process restarts: a new service, the same store.
    const again = await createAskService(kb, config, { conversations: storedConversations(store.askContext) });
    const next = await again.askJson("tiếp", { now: new Date(NOW.getTime() + 60_000), conversation: "telegram:-100:7" });
    expect(next.page).toBe(2);
    expect(bullets(next.answer)).toEqual(j.matches.slice(8, 16).map((m) => m.id));
    const fresh = await createAskService(kb, config);
    const lost = await fresh.askJson("tiếp", { now: new Date(NOW.getTime() + 60_000), conversation: "telegram:-100:7" });
    expect(lost.page).toBeUndefined();
  });

  it("a stored row that no longer reads as a query is ignored, not trusted", async () => {
    store.askContext.put("zalo:1:1", JSON.stringify({ query: { ask: "list", plans: "all" }, ids: [] }), NOW.toISOString());
    const svc = await createAskService(kb, config, { conversations: storedConversations(store.askContext) });
    const j = await svc.askJson("trang 2", { now: NOW, conversation: "zalo:1:1" });
    expect(j.page).toBeUndefined();
    expect(j.notFound).toBe(true);
  });

  it("the /hoi command keeps one thread per person in each chat", async () => {
    const svc = await createAskService(kb, config, { conversations: storedConversations(store.askContext) });
    const cmd = createAskCommand(svc);
    const turn = (userId: string, text: string): Turn => ({ channel: "zalo", chatId: "g1", chatType: "group", userId, userName: userId, text, messageId: text });
    const run = async (userId: string, args: string) =>
      (await cmd.run({ turn: turn(userId, args), args, now: NOW } as Parameters<typeof cmd.run>[0]))[0]!.text;
    const list = await run("u1", "Sở Tài chính chủ trì những nhiệm vụ nào trong kế hoạch của UBND tỉnh Bắc Ninh?");
    expect(list).toContain("trang 2");
    expect(await run("u1", "tiếp")).toContain("(Trang 2/");
    // Another person in the same group has asked nothing yet.
    expect(await run("u2", "tiếp")).not.toContain("(Trang 2/");
  });
});

describe("status in plain words reads the store", () => {
  it("'tiến độ BN-1.1 thế nào rồi' gives the latest saved status, the same in the CLI", async () => {
    store.tasks.syncTasks(kb.tasks, NOW);
    const user = store.users.register({ channel: "telegram", channelUserId: "42", name: "Cán bộ A", agencyId: "so-khoa-hoc-va-cong-nghe", approved: true, now: NOW });
    store.updates.insert({ taskId: "BN-1.1", userId: user.id, status: "dang_thuc_hien", percent: 40, done: "Dự thảo", obstacles: "", proposal: "", expectedBy: null, reportedAt: "2026-11-20T02:00:00.000Z", channel: "telegram", chatId: "42", messageId: "m1" });
    store.updates.insert({ taskId: "BN-1.1", userId: user.id, status: "dang_thuc_hien", percent: 65, done: "Trình ký", obstacles: "", proposal: "", expectedBy: null, reportedAt: "2026-11-22T02:00:00.000Z", channel: "telegram", chatId: "42", messageId: "m2" });
    const status = statusReader(store);
    const svc = await createAskService(kb, config, { progress: status, completedTasks: status.completed });
    const chat = await svc.askJson("tiến độ BN-1.1 thế nào rồi", { now: NOW });
    expect(chat.answer).toContain("Tiến độ mới nhất: Đang thực hiện · 65% (báo cáo ngày 22/11/2026)");
    expect(chat.answer).toContain("(2 lần báo cáo)");
    const lines: string[] = [];
    expect(await runAskCli(["tiến độ BN-1.1 thế nào rồi"], { config, knowledge: kb, store, now: NOW, out: (l) => lines.push(l) })).toBe(0);
    expect(lines.join("\n")).toBe(chat.answer);
  });
});

describe("agencies renamed or merged in 2025", () => {
  it("a question under the old name is told the new one and gets the new agency's rows", async () => {
    const svc = await createAskService(kb, config);
    const j = await svc.askJson("Sở Thông tin và Truyền thông chủ trì những nhiệm vụ nào trong kế hoạch của UBND tỉnh Bắc Ninh?", { now: NOW });
    expect(j.answer.split("\n")[0]).toBe("(Sở Thông tin và Truyền thông nay là Sở Khoa học và Công nghệ: các việc dưới đây ghi theo tên Sở Khoa học và Công nghệ.)");
    const now = await svc.askJson("Sở Khoa học và Công nghệ chủ trì những nhiệm vụ nào trong kế hoạch của UBND tỉnh Bắc Ninh?", { now: NOW });
    expect(j.matches.map((m) => m.id)).toEqual(now.matches.map((m) => m.id));
    expect(now.answer).not.toContain("nay là");
  });
});
