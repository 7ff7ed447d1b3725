// Decoding helpers shared by the repositories: SQLite rows come back as loose
// records; every repository turns them into typed rows through these.
export type Row = Record<string, unknown>;

export const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== "string") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The store's clock as ISO-8601 UTC text. */
export type Iso = (d?: Date) => string;
