// Runs work per chat in arrival order, different chats concurrently, and can
// wait until everything in flight has finished (graceful shutdown, tests).

export interface ChatQueue {
  /** Run `task` after every earlier task of the same key. Never rejects. */
  run(key: string, task: () => Promise<void>): Promise<void>;
  /** Resolves when no task is queued or running. */
  idle(): Promise<void>;
  readonly inFlight: number;
}

export function createChatQueue(onError: (err: unknown) => void): ChatQueue {
  const tails = new Map<string, Promise<void>>();
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];

  const settle = () => {
    if (inFlight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  return {
    run(key, task) {
      inFlight++;
      const prev = tails.get(key) ?? Promise.resolve();
      const next = prev
        .then(task)
        .catch(onError)
        .finally(() => {
          inFlight--;
          if (tails.get(key) === next) tails.delete(key);
          settle();
        });
      tails.set(key, next);
      return next;
    },
    idle() {
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    get inFlight() {
      return inFlight;
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
