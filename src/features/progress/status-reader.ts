// What other features may read of the saved statuses (the ask feature's "tiến độ BN-1.1 thế nào rồi"),
// straight from the store, so the chat and the CLI answer alike.
import type { Store } from "../../store/index.js";
import { statusLabel } from "./labels.js";

export interface StatusReader {
  latest(taskId: string): { status: string; statusLabel: string; percent: number; reportedAt: string } | undefined;
  count(taskId: string): number;
  /** Tasks with at least one report. */
  reported(): ReadonlySet<string>;
  /** Tasks whose latest report says "hoàn thành". */
  completed(): ReadonlySet<string>;
}

export function statusReader(store: Pick<Store, "updates">): StatusReader {
  return {
    latest(taskId) {
      const u = store.updates.latest(taskId);
      return u ? { status: u.status, statusLabel: statusLabel(u.status), percent: u.percent, reportedAt: u.reportedAt } : undefined;
    },
    count: (taskId) => store.updates.countsByTask().get(taskId) ?? 0,
    reported: () => new Set(store.updates.countsByTask().keys()),
    completed: () => store.updates.completedTaskIds(),
  };
}
