// The dashboard feature: a web page for leaders, served by the bot's own HTTP
// server under /bangdieukhien, reached through a one-time link from
// /bangdieukhien (or the CLI's dashboard-link). main.ts mounts `handler`.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Config } from "../../config.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Logger } from "../../log.js";
import type { Store } from "../../store/index.js";
import type { Feature } from "../feature.js";
import type { People } from "../people/index.js";
import { createDashboardApp, type DashboardAppDeps } from "./app.js";
import { createBangdieukhien } from "./command.js";
import { createSignIn, type SignIn } from "./signin.js";

export { DASHBOARD_PREFIX, dashboardOrigin, LINK_TTL_MS, SESSION_TTL_MS, type SignIn } from "./signin.js";
export { dashboardAccess, type Access, type Scope } from "./access.js";
export { COOKIE, CSP } from "./app.js";

export interface DashboardDeps {
  store: Store;
  knowledge: KnowledgeIndex;
  people: People;
  config: Pick<Config, "TIMEZONE" | "DASHBOARD_URL" | "PUBLIC_URL" | "PORT">;
  clock?: () => Date;
  log: Logger;
  /** Limits (tests). */
  limits?: Pick<DashboardAppDeps, "signInPerMinute" | "exportsPerMinute">;
}

export interface Dashboard {
  readonly signIn: SignIn;
  /** The web app (tests call app.request). */
  readonly app: ReturnType<typeof createDashboardApp>;
  /** A node:http handler for every path under DASHBOARD_PREFIX. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The server listens on `port` (links made from now on point there when no URL is configured). */
  listening(port: number): void;
}

export function createDashboard(deps: DashboardDeps): Dashboard {
  const clock = deps.clock ?? (() => new Date());
  const signIn = createSignIn(deps);
  const app = createDashboardApp({ ...deps, ...deps.limits, signIn, clock });
  // overrideGlobalObjects: false — the rest of the process (grammY, LLM clients) keeps Node's own fetch classes.
  const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false });
  return {
    signIn,
    app,
    handler: (req, res) => listener(req, res),
    listening: (port) => signIn.setPort(port),
  };
}

export function createDashboardFeature(dashboard: Dashboard, deps: { people: People; config: Pick<Config, "TIMEZONE"> }): Feature {
  return { name: "dashboard", commands: [createBangdieukhien({ signIn: dashboard.signIn, people: deps.people, timeZone: deps.config.TIMEZONE })] };
}
