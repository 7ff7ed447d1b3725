// The bot as an operator runs it, in a process of its own: `node --import tsx
// src/main.ts` (what `npm start` execs) or `npm start` itself, configured only by
// environment variables, with helpers to read its log, find every process it
// made and check by pid that none is left.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TSX = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;

export interface BotProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment of a clean machine: nothing of the developer's own .env or shell leaks in. */
export function cleanEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, KNOWLEDGE_DIR: join(ROOT, "knowledge"), PORT: "0", LOG_LEVEL: "info", ...extra };
}

function watch(child: ChildProcess): BotProcess {
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString("utf8")));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once("exit", (code, signal) => r({ code, signal })));
  return { child, output: () => out, exited };
}

/** src/main.ts run as `npm start` runs it, with the data directory as working directory (so no .env is read). */
export function startMain(env: NodeJS.ProcessEnv, args: string[] = []): BotProcess {
  return watch(spawn(process.execPath, ["--import", TSX, join(ROOT, "src", "main.ts"), ...args], { cwd: env.DATA_DIR, env, stdio: ["pipe", "pipe", "pipe"] }));
}

/** `npm start` in the repository, in a process group of its own (its pid is the group's id). */
export function startNpm(env: NodeJS.ProcessEnv): BotProcess {
  return watch(spawn("npm", ["start"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true }));
}

export async function until(check: () => boolean, ms: number, what: string | (() => string)): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The port the bot's HTTP server listens on, read from its log. */
export function listeningPort(output: string): number | undefined {
  const m = /"msg":"http server listening"[^\n]*"port":(\d+)/.exec(output) ?? /http server listening port=(\d+)/.exec(output);
  return m ? Number(m[1]) : undefined;
}

/** The process's state letter from /proc (R, S, Z…), undefined when there is no such process. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}

/** A process with this pid runs (a zombie, exited and waiting to be reaped, does not). */
export function alive(pid: number): boolean {
  const s = procState(pid);
  return s !== undefined && s !== "Z" && s !== "X";
}

/** `pid` and every process under it, from /proc. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/** Kill whatever is left of these processes (a failed test must not leave bots behind). */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      if (alive(pid)) process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
