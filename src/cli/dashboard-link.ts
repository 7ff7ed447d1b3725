// `npm run -s cli -- dashboard-link --user <channel:id>`: for operators, the same
// one-time dashboard link /bangdieukhien gives in a private chat. The link alone
// goes to stdout (for scripts); who it is for and when it expires, to stderr.
import { loadConfigFromProcess, type Config } from "../config.js";
import { createSignIn } from "../features/dashboard/signin.js";
import { createPeople } from "../features/people/index.js";
import { viDateTime } from "../features/progress/index.js";
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import { loadKnowledge } from "../knowledge/load.js";
import { openStore, storePath, type Store } from "../store/index.js";

export interface DashboardLinkCliDeps {
  config?: Config;
  knowledge?: KnowledgeIndex;
  store?: Store;
  now?: Date;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

const USAGE = "Usage: dashboard-link --user <channel:id>   e.g. dashboard-link --user telegram:123456";

/** Returns the process exit code: 0 with a link, 1 when the person may not see the dashboard, 2 on bad usage. */
export async function runDashboardLinkCli(args: string[], deps: DashboardLinkCliDeps = {}): Promise<number> {
  const out = deps.out ?? ((l: string) => process.stdout.write(l + "\n"));
  const err = deps.err ?? ((l: string) => process.stderr.write(l + "\n"));
  const i = args.indexOf("--user");
  const m = /^(telegram|zalo|console):(.+)$/.exec(i >= 0 ? (args[i + 1] ?? "") : "");
  if (!m) {
    err(USAGE);
    return 2;
  }
  const who = { channel: m[1] as "telegram" | "zalo" | "console", userId: m[2]! };
  const config = deps.config ?? loadConfigFromProcess();
  const knowledge = deps.knowledge ?? (await loadKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, dataDir: config.DATA_DIR }));
  const store = deps.store ?? openStore(storePath(config.DATA_DIR));
  try {
    const people = createPeople({ store, config, knowledge });
    const now = deps.now ?? new Date();
    const r = createSignIn({ store, people, config }).issue(who, "cli", now);
    if (!r.ok) {
      err(`${who.channel}:${who.userId}: ${r.reason}`);
      return 1;
    }
    const scope = r.access.scope.kind === "all" ? "every task (admin)" : `tasks of ${people.agencyName(r.access.scope.agencyId)}`;
    err(`One-time link for ${r.access.user.name} (${who.channel}:${who.userId}), ${scope}; works once, until ${viDateTime(r.expiresAt.toISOString(), config.TIMEZONE)}.`);
    out(r.url);
    return 0;
  } finally {
    if (!deps.store) store.close();
  }
}
