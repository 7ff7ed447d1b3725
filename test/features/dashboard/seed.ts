// Seeded status updates for dashboard tests, screenshots and the bench: the same
// seed always gives the same reports, spread over the weeks before `now`.
import type { Task } from "../../../src/knowledge/types.js";
import { STATUS_KEYS, type StatusKey, type Store, type UserRow } from "../../../src/store/index.js";

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOTES = [
  "Đã ban hành kế hoạch triển khai",
  "Đang khảo sát hiện trạng tại các đơn vị",
  "Đã trình dự thảo lên UBND tỉnh",
  "Đã tổ chức hội nghị quán triệt",
  "Hoàn thiện hồ sơ, chờ thẩm định",
];
const OBSTACLES = ["", "", "", "Chưa được bố trí kinh phí", "Thiếu nhân lực có chuyên môn về chuyển đổi số"];

/**
 * Reports on a share of `tasks` (`coverage`), each task reported 1–`maxPerTask` times in
 * order over the `weeks` before `now`, by `users` (the first user whose agency is on the
 * task, else the first user). Progress only moves forward; some tasks finish.
 */
export function seedUpdates(
  store: Store,
  tasks: readonly Task[],
  users: readonly UserRow[],
  opts: { now: Date; seed?: number; coverage?: number; maxPerTask?: number; weeks?: number },
): number {
  const rnd = prng(opts.seed ?? 57);
  const weeks = opts.weeks ?? 20;
  const span = weeks * 7 * 86_400_000;
  let n = 0;
  store.transaction(() => {
    for (const task of tasks) {
      if (rnd() > (opts.coverage ?? 0.75)) continue;
      const user =
        users.find((u) => u.agencyId && [...task.leadAgencies, ...task.coordinatorAgencies].some((a) => a.id === u.agencyId)) ?? users[0]!;
      const times = 1 + Math.floor(rnd() * (opts.maxPerTask ?? 4));
      const at = [...Array(times)].map(() => opts.now.getTime() - Math.floor(rnd() * span)).sort((a, b) => a - b);
      let percent = 0;
      for (let i = 0; i < times; i++) {
        percent = Math.min(100, percent + 10 + Math.floor(rnd() * 40));
        const last = i === times - 1;
        let status: StatusKey = "dang_thuc_hien";
        if (percent >= 100) status = "hoan_thanh";
        else if (last) status = STATUS_KEYS[Math.floor(rnd() * STATUS_KEYS.length)]!;
        if (status === "hoan_thanh") percent = 100;
        if (status === "chua_trien_khai") percent = 0;
        store.updates.insert({
          taskId: task.id,
          userId: user.id,
          status,
          percent,
          done: NOTES[Math.floor(rnd() * NOTES.length)]!,
          obstacles: status === "vuong_mac" || status === "cham_tien_do" ? OBSTACLES[3 + Math.floor(rnd() * 2)]! : OBSTACLES[Math.floor(rnd() * 3)]!,
          proposal: "",
          reportedAt: new Date(at[i]!).toISOString(),
          channel: rnd() < 0.5 ? "telegram" : "zalo",
        });
        n++;
        if (status === "hoan_thanh") break;
      }
    }
  });
  return n;
}
