// Runs work per chat in arrival order, different chats concurrently (at most
// `concurrency` at a time, the chats waiting longest first), and can stop
// taking work and wait until what is running has finished (graceful shutdown).

export interface ChatQueue<T> {
  /** Run `item` after every earlier item of the same chat. */
  push(chat: string, item: T): void;
  /** Resolves when nothing is running and nothing waits (or, once stopped, when nothing runs). */
  idle(): Promise<void>;
  /** Begin nothing more; resolves when what is running has finished. What waits is left (the inbox keeps it). */
  stop(): Promise<void>;
  /** Items being run now. */
  readonly running: number;
  /** Items waiting their turn. */
  readonly waiting: number;
  /** The chats being run now (what a stop waits for). */
  readonly busyChats: readonly string[];
}

export function createChatQueue<T>(opts: { concurrency: number; run: (item: T) => Promise<void>; onError: (err: unknown, item: T) => void }): ChatQueue<T> {
  const concurrency = Math.max(1, Math.floor(opts.concurrency));
  const queues = new Map<string, T[]>();
  /** Chats with items waiting and none running, oldest first. */
  const ready: string[] = [];
  const busy = new Set<string>();
  let waiting = 0;
  let stopped = false;
  let waiters: (() => void)[] = [];

  const settle = () => {
    if (busy.size > 0 || (waiting > 0 && !stopped)) return;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };

  const pump = () => {
    while (!stopped && busy.size < concurrency && ready.length > 0) {
      const chat = ready.shift()!;
      const q = queues.get(chat)!;
      const item = q.shift()!;
      if (q.length === 0) queues.delete(chat);
      waiting--;
      busy.add(chat);
      void opts
        .run(item)
        .catch((err: unknown) => opts.onError(err, item))
        .finally(() => {
          busy.delete(chat);
          if (queues.has(chat)) ready.push(chat);
          pump();
          settle();
        });
    }
  };

  const idle = (): Promise<void> => {
    if (busy.size === 0 && (waiting === 0 || stopped)) return Promise.resolve();
    return new Promise((resolve) => waiters.push(resolve));
  };

  return {
    push(chat, item) {
      const q = queues.get(chat);
      if (q) q.push(item);
      else {
        queues.set(chat, [item]);
        if (!busy.has(chat)) ready.push(chat);
      }
      waiting++;
      pump();
    },
    idle,
    stop() {
      stopped = true;
      return idle();
    },
    get running() {
      return busy.size;
    },
    get waiting() {
      return waiting;
    },
    get busyChats() {
      return [...busy];
    },
  };
}

/** setTimeout as a promise that an AbortSignal ends early (resolves, never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
