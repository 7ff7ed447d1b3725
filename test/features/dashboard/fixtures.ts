// A whole bot (the progress fixtures) with its dashboard on a real HTTP server on
// 127.0.0.1, and helpers to get a link and sign in the way a browser does.
import { createHttpServer, type HttpServer } from "../../../src/channels/http-server.js";
import { DASHBOARD_PREFIX } from "../../../src/features/dashboard/index.js";
import type { Task } from "../../../src/knowledge/types.js";
import { makeBot, task, TASKS, KHCN, TC, NV, type Bot } from "../progress/fixtures.js";

export interface Served {
  b: Bot;
  base: string;
  http: HttpServer;
  close(): Promise<void>;
}

export async function serve(opts: Parameters<typeof makeBot>[0] = {}): Promise<Served> {
  const b = makeBot(opts);
  const http = createHttpServer({ mounts: [{ prefix: DASHBOARD_PREFIX, handler: (req, res) => b.bot.dashboard.handler(req, res) }], health: () => ({}) });
  const port = await http.listen(0, "127.0.0.1");
  b.bot.dashboard.listening(port);
  return {
    b,
    base: `http://127.0.0.1:${port}`,
    http,
    async close() {
      await http.close();
      b.close();
    },
  };
}

/** The link /bangdieukhien gives this user in their private chat. */
export async function linkFor(b: Bot, userId: string): Promise<string> {
  const text = await b.text("/bangdieukhien", { userId, chatId: userId, chatType: "private" });
  const url = text.split("\n").find((l) => l.startsWith("http"));
  if (!url) throw new Error(`no link in: ${text}`);
  return url;
}

/** Open the link's page, press the button (a form POST), return the session cookie ("name=value"). */
export async function signIn(base: string, url: string): Promise<string> {
  const page = await fetch(url);
  if (page.status !== 200) throw new Error(`sign-in page: ${page.status}`);
  const token = new URL(url).searchParams.get("t")!;
  const r = await fetch(`${base}${DASHBOARD_PREFIX}/dang-nhap`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ t: token }),
  });
  if (r.status !== 303) throw new Error(`sign-in: ${r.status}`);
  return r.headers.get("set-cookie")!.split(";")[0]!;
}

/** Tasks over two plans and three agencies, with a name that holds markup, for counting and escaping. */
export const MANY: Task[] = [
  ...TASKS,
  ...Array.from({ length: 36 }, (_, i) => {
    const lead = [KHCN, TC, NV][i % 3]!;
    const coord = [[TC], [], [KHCN], [NV, KHCN]][i % 4]!;
    const due = i % 5 === 0 ? null : `2026-${String((i % 12) + 1).padStart(2, "0")}-28`;
    const id = i % 2 === 0 ? `BN-9.${i + 1}` : `DM-${i + 30}`;
    return task(id, `Nhiệm vụ thử số ${i + 1}${i === 7 ? " <b>đậm</b> & “ngoặc”" : ""}`, [lead], coord.filter((c) => c.id !== lead.id), due);
  }),
];
