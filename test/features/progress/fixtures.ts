// A small knowledge base and a whole bot (core + status feature) over an
// in-memory or file store, with an injectable clock, for conversation tests.
import { createBot, prepareStore, type Bot as WholeBot } from "../../../src/bot.js";
import { loadConfig, type Config } from "../../../src/config.js";
import type { ChannelName, Delivery, Notice, OutMessage, Outbox, Turn } from "../../../src/core/types.js";
import type { AskAnswer, AskService } from "../../../src/features/ask/index.js";
import { KnowledgeIndex } from "../../../src/knowledge/knowledge-index.js";
import type { Agency, AgencyRef, KnowledgeBase, Task } from "../../../src/knowledge/types.js";
import { silentLogger } from "../../../src/log.js";
import { openStore, type Store } from "../../../src/store/index.js";

const ref = (id: string, canonical: string, text = canonical, isGroup = false): AgencyRef => ({ id, canonical, text, isAgency: true, isGroup });
export const KHCN = ref("so-khoa-hoc-va-cong-nghe", "Sở Khoa học và Công nghệ", "Sở KH&CN");
export const TC = ref("so-tai-chinh", "Sở Tài chính");
export const NV = ref("so-noi-vu", "Sở Nội vụ");
export const CAC_SO = ref("cac-so-ban-nganh", "Các sở, ban, ngành", "các sở, ban, ngành", true);

const agency = (a: AgencyRef, aliases: string[]): Agency => ({ id: a.id, canonical: a.canonical, aliases, isGroup: a.isGroup });

export function task(id: string, name: string, lead: AgencyRef[], coordinators: AgencyRef[], due: string | null, raw = due ?? "Thường xuyên"): Task {
  return {
    kind: "task",
    id,
    plan: id.startsWith("DM") ? "da-mai-dang-uy-2026" : "bac-ninh-ubnd-2026",
    section: { number: "VII", title: "Nhiệm vụ" },
    ordinal: id.split("-")[1] ?? "",
    name,
    lead: lead.map((a) => a.text),
    coordinators: coordinators.map((a) => a.text),
    leadAgencies: lead,
    coordinatorAgencies: coordinators,
    leadRaw: lead.map((a) => a.text).join(", "),
    coordinatorsRaw: coordinators.map((a) => a.text).join(", "),
    deadline: { raw, due, kind: due ? "date" : "recurring", milestones: [] },
    basis: "",
    source: { file: "bac-ninh-ubnd-2026.md", line: 10, endLine: 10 },
    flags: [],
  };
}

export const TASKS: Task[] = [
  task("BN-7.22", "Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh", [KHCN], [TC], "2026-06-30", "Tháng 6/2026"),
  task("BN-7.23", "Chuyển đổi số trong quản lý hồ sơ cán bộ", [NV], [], "2026-12-31", "Năm 2026"),
  task("DM-18a", "Phổ biến kiến thức đổi mới sáng tạo cho doanh nghiệp", [KHCN], [], "2026-02-28", "Tháng 2/2026"),
  task("LC-5", "Rà soát thủ tục hành chính trên môi trường số", [CAC_SO], [], null),
];

export function knowledgeBase(tasks: Task[] = TASKS): KnowledgeBase {
  return {
    version: 1,
    plans: [
      { id: "bac-ninh-ubnd-2026", code: "BN", shortName: "KH UBND tỉnh Bắc Ninh 2026", title: "", issuer: "", locality: "", number: null, date: null, file: "bac-ninh-ubnd-2026.md", aliases: [] },
      { id: "da-mai-dang-uy-2026", code: "DM", shortName: "KH Đảng ủy phường Đa Mai 2026", title: "", issuer: "", locality: "", number: null, date: null, file: "da-mai-dang-uy-2026.md", aliases: [] },
    ],
    tasks,
    indicators: [],
    duties: [],
    passages: [],
    agencies: [
      agency(KHCN, ["Sở KH&CN", "Sở KHCN", "KHCN"]),
      agency(TC, ["STC"]),
      agency(NV, ["SNV"]),
      agency(CAC_SO, []),
    ],
    warnings: [],
  };
}

/** Ask that returns the ids of tasks whose name contains every folded word of the question. */
export class FakeAsk implements AskService {
  fail = false;
  constructor(private readonly tasks: Task[] = TASKS) {}
  async ask(question: string): Promise<AskAnswer> {
    if (this.fail) throw new Error("index exploded");
    const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
    const q = fold(question).split(/\s+/).filter(Boolean);
    const ids = this.tasks.filter((t) => q.every((w) => fold(t.name).includes(w))).map((t) => t.id);
    return { question, intent: "search", answer: "…", notFound: ids.length === 0, ids };
  }
}

export const ADMIN = { channel: "telegram" as const, userId: "900" };

export interface Bot {
  store: Store;
  bot: WholeBot;
  knowledge: KnowledgeIndex;
  ask: FakeAsk;
  clock: { now: Date };
  /** Notices pushed to other chats, in order (through a recording outbox per channel). */
  notices: Notice[];
  /** Send a message as a user; returns the texts of the replies. */
  say(text: string, who?: Partial<Turn>): Promise<OutMessage[]>;
  text(text: string, who?: Partial<Turn>): Promise<string>;
  /** Close the store and open it again with a fresh core (a restart). */
  restart(): void;
  close(): void;
}

export function config(extra: Record<string, string> = {}): Config {
  return loadConfig({ ADMINS: `${ADMIN.channel}:${ADMIN.userId}`, INVITE_CODES: "so-tai-chinh:TAICHINH26,so-noi-vu:NV-2026", ...extra });
}

export function makeBot(opts: { path?: string; now?: Date; tasks?: Task[] } = {}): Bot {
  const path = opts.path ?? ":memory:";
  const clock = { now: opts.now ?? new Date("2026-03-10T02:00:00.000Z") };
  const knowledge = new KnowledgeIndex(knowledgeBase(opts.tasks));
  const ask = new FakeAsk(opts.tasks);
  let n = 0;
  const notices: Notice[] = [];
  const recorder = (channel: ChannelName): Outbox => ({
    textLimit: 4096,
    async send(chatId: string, messages: OutMessage[]): Promise<Delivery> {
      notices.push({ channel, chatId, messages });
      return { status: "delivered" };
    },
  });
  const outboxes = { telegram: recorder("telegram"), zalo: recorder("zalo") };
  const build = () => {
    const store = openStore(path, { clock: () => clock.now });
    prepareStore(store, knowledge, clock.now);
    const bot = createBot({ config: config(), log: silentLogger(), store, knowledge, ask, clock: () => clock.now, outboxes });
    return { store, bot, core: bot.dialogue };
  };
  let cur = build();
  const say = (text: string, who: Partial<Turn> = {}) =>
    cur.core.handle({
      channel: "telegram",
      chatId: who.userId ?? "100",
      chatType: "private",
      userId: "100",
      userName: "Nguyễn Văn An",
      messageId: String(++n),
      updateId: `${path}:${n}:${Math.random()}`,
      text,
      ...who,
    });
  const bot: Bot = {
    knowledge,
    ask,
    get store() {
      return cur.store;
    },
    get bot() {
      return cur.bot;
    },
    clock,
    notices,
    say,
    text: async (t, who) => (await say(t, who)).map((m) => m.text).join("\n---\n"),
    restart() {
      cur.store.close();
      cur = build();
    },
    close() {
      cur.store.close();
    },
  };
  return bot;
}

/** Register and approve a user of an agency directly in the store. */
export function seedUser(store: Store, o: { userId: string; agencyId: string | null; name?: string; channel?: string; approved?: boolean }) {
  return store.users.register({
    channel: o.channel ?? "telegram",
    channelUserId: o.userId,
    name: o.name ?? "Nguyễn Văn An",
    agencyId: o.agencyId,
    approved: o.approved ?? true,
    now: new Date("2026-03-01T00:00:00.000Z"),
  });
}
