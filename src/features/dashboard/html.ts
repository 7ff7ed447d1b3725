// HTML built only through `html`: every interpolated value is escaped unless it
// is already Html (built by `html` itself). A task name or a note that holds
// "<script>" therefore reaches the page as text, wherever it is used.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(p: Part): string {
  if (p instanceof Html) return p.value;
  if (p === null || p === undefined || p === false || p === true) return "";
  if (Array.isArray(p)) return p.map(render).join("");
  return escapeHtml(String(p));
}

/** A template whose values are escaped (arrays joined, null/undefined/booleans left out). */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < parts.length; i++) out += render(parts[i]) + (strings[i + 1] ?? "");
  return new Html(out);
}

/** A value as a JSON attribute (escaped by `html` when interpolated). */
export const jsonAttr = (v: unknown): string => JSON.stringify(v);
