// The reminder scheduler as a job main starts once the channels run: a tick
// every minute (and one at start, so digests missed while the bot was down go
// out as one catch-up digest). A tick runs the groups whose time of day has
// come and whose digest for today has not gone out; ticks never overlap, and
// runs in other processes are kept apart by the claims in the deliveries table.
import type { Job } from "../../core/feature.js";
import type { Logger } from "../../log.js";
import type { RunReport } from "./run.js";
import type { Reminders } from "./service.js";

export interface ReminderScheduler {
  /** Run one tick now (tests, and the first tick at start). Resolves null when a tick was already running. */
  tick(): Promise<RunReport | null>;
  /** The tick run at start (catch-up after downtime). */
  readonly first: Promise<RunReport | null>;
  /** Stop ticking and wait for a tick in flight. */
  stop(): Promise<void>;
}

export function startReminderScheduler(input: { reminders: Reminders; log?: Logger; intervalMs?: number }): ReminderScheduler {
  const { reminders } = input;
  const clock = reminders.deps.clock;
  const log = input.log ?? reminders.deps.log;
  let running: Promise<RunReport | null> | null = null;
  let stopped = false;

  const tick = (): Promise<RunReport | null> => {
    if (stopped || running) return Promise.resolve(null);
    running = (async () => {
      try {
        const report = await reminders.run({ at: clock() });
        if (!report.skipped && report.digests.length) {
          log?.info("reminders: run done", {
            groups: report.digests.length,
            messages: report.messagesSent,
            failed: report.digests.filter((d) => d.status === "failed" || d.status === "partial").length,
            computeMs: Math.round(report.computeMs),
          });
        }
        return report;
      } catch (err) {
        log?.error("reminders: run failed; the next tick retries", { err });
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const timer = setInterval(() => void tick(), Math.max(1000, input.intervalMs ?? 60_000));
  timer.unref?.();
  const first = tick();

  return {
    tick,
    first,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running) await running;
    },
  };
}

/** The scheduler as a job for main to start and stop. */
export function reminderJob(reminders: Reminders, log?: Logger): Job {
  return { name: "reminders", start: () => startReminderScheduler({ reminders, log }) };
}
