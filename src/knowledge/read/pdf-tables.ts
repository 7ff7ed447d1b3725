// Tables on one page, found two ways:
// - ruled ("lattice"): drawn horizontal and vertical rules that cross form a
//   grid; a missing rule between two grid cells merges them;
// - unruled ("stream"): rows are blocks of lines separated by a vertical gap
//   wider than the line pitch (cell padding); columns are the x-ranges that the
//   runs of those rows cover, separated by gutters no run crosses.
// A table cut by a page break is a new table on each page; its header row,
// when repeated, stays its first row. A band that repeats the last header seen
// starts a new table (two tables back to back on one page).
import type { RawRule } from "./pdf-engine.js";
import { joinItems, type Item, type Line } from "./pdf-lines.js";

export interface Cell {
  text: string;
  bold: boolean;
}

export interface TableRow {
  cells: Cell[];
  first: Line;
  last: Line;
}

export interface PageTable {
  rows: TableRow[];
}

/**
 * A table found on a page, its rows not yet cut into cells: a piece with at
 * most one body row (the foot of a page, the top of the next) cannot show all
 * its columns, and borrows those of the piece it continues or that continues it.
 */
export interface TableDraft {
  /** First line of the table. */
  top: Line;
  /** Its own columns (from its body rows), for the pieces next to it. */
  columns: Span[];
  /** At most one body row. */
  weak: boolean;
  /** Rows cut into cells, with the columns of neighbouring pieces (tried in turn) where this one shows none. */
  finish(borrowed: Span[][]): PageTable;
}

export interface Span {
  x0: number;
  x1: number;
}

/** Cell text: the cell's runs grouped by line, top to bottom, lines joined with "\n". */
function cellOf(items: Item[]): Cell {
  if (!items.length) return { text: "", bold: false };
  const byLine = new Map<Line, Item[]>();
  for (const it of items) byLine.set(it.line, [...(byLine.get(it.line) ?? []), it]);
  const lines = [...byLine.entries()].sort((a, b) => a[0].y - b[0].y);
  const text = lines
    .map(([, its]) => joinItems(its.sort((a, b) => a.x0 - b.x0)))
    .filter(Boolean)
    .join("\n");
  return { text, bold: items.every((i) => i.bold) };
}

function rowOf(cells: Item[][]): TableRow | undefined {
  const all = cells.flat();
  if (!all.length) return undefined;
  let first = all[0]!.line;
  let last = first;
  for (const it of all) {
    if (it.line.no < first.no) first = it.line;
    if (it.line.no > last.no) last = it.line;
  }
  for (const it of all) it.claimed = true;
  return { cells: cells.map(cellOf), first, last };
}

// ---------------------------------------------------------------- ruled

interface HRule {
  y: number;
  x0: number;
  x1: number;
}
interface VRule {
  x: number;
  y0: number;
  y1: number;
}

const TOL = 2;

/** Collinear pieces of a rule (a border drawn cell by cell) joined into one. */
function mergeRules<T>(rules: T[], pos: (r: T) => number, a: (r: T) => number, b: (r: T) => number, make: (p: number, a: number, b: number) => T): T[] {
  const sorted = [...rules].sort((r, s) => pos(r) - pos(s) || a(r) - a(s));
  const out: T[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && Math.abs(pos(last) - pos(r)) <= 0.8 && a(r) <= b(last) + TOL) {
      out[out.length - 1] = make(pos(last), a(last), Math.max(b(last), b(r)));
    } else out.push(r);
  }
  return out;
}

function clusterPositions(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of sorted) {
    const last = out.at(-1);
    if (last === undefined || v - last > TOL) out.push(v);
  }
  return out;
}

function ruledTables(lines: Line[], rules: RawRule[]): TableDraft[] {
  const hs = mergeRules(
    rules.filter((r) => Math.abs(r.y0 - r.y1) < 0.5 && Math.abs(r.x1 - r.x0) >= 3).map((r) => ({ y: (r.y0 + r.y1) / 2, x0: Math.min(r.x0, r.x1), x1: Math.max(r.x0, r.x1) })),
    (r) => r.y, (r) => r.x0, (r) => r.x1, (y, x0, x1) => ({ y, x0, x1 }),
  );
  const vs = mergeRules(
    rules.filter((r) => Math.abs(r.x0 - r.x1) < 0.5 && Math.abs(r.y1 - r.y0) >= 3).map((r) => ({ x: (r.x0 + r.x1) / 2, y0: Math.min(r.y0, r.y1), y1: Math.max(r.y0, r.y1) })),
    (r) => r.x, (r) => r.y0, (r) => r.y1, (x, y0, y1) => ({ x, y0, y1 }),
  );
  if (hs.length < 2 || vs.length < 2 || hs.length * vs.length > 4_000_000) return [];

  // Rules that cross belong to one grid (union-find over h then v indices).
  const parent = [...hs.keys(), ...vs.keys()].map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  hs.forEach((h, i) =>
    vs.forEach((v, j) => {
      if (v.x >= h.x0 - TOL && v.x <= h.x1 + TOL && h.y >= v.y0 - TOL && h.y <= v.y1 + TOL) parent[find(i)] = find(hs.length + j);
    }),
  );
  const groups = new Map<number, { h: HRule[]; v: VRule[] }>();
  hs.forEach((h, i) => {
    const g = groups.get(find(i)) ?? { h: [], v: [] };
    g.h.push(h);
    groups.set(find(i), g);
  });
  vs.forEach((v, j) => {
    const g = groups.get(find(hs.length + j)) ?? { h: [], v: [] };
    g.v.push(v);
    groups.set(find(hs.length + j), g);
  });

  const tables: TableDraft[] = [];
  for (const g of groups.values()) {
    const xs = clusterPositions(g.v.map((v) => v.x));
    const ys = clusterPositions(g.h.map((h) => h.y));
    const nc = xs.length - 1;
    const nr = ys.length - 1;
    if (nc < 2 || nr < 2) continue; // a frame or a box, not a table
    const hasV = (x: number, y0: number, y1: number) => g.v.some((v) => Math.abs(v.x - x) <= TOL && v.y0 <= (y0 + y1) / 2 && v.y1 >= (y0 + y1) / 2);
    const hasH = (y: number, x0: number, x1: number) => g.h.some((h) => Math.abs(h.y - y) <= TOL && h.x0 <= (x0 + x1) / 2 && h.x1 >= (x0 + x1) / 2);
    // Merged cells: each grid cell points to the top-left cell of its region.
    const owner: number[] = [];
    for (let r = 0; r < nr; r++) {
      for (let c = 0; c < nc; c++) {
        let o = r * nc + c;
        if (c > 0 && !hasV(xs[c]!, ys[r]!, ys[r + 1]!)) o = owner[r * nc + c - 1]!;
        else if (r > 0 && !hasH(ys[r]!, xs[c]!, xs[c + 1]!)) o = owner[(r - 1) * nc + c]!;
        owner.push(o);
      }
    }
    const cells: Item[][] = owner.map(() => []);
    const x0 = xs[0]!, x1 = xs[nc]!, y0 = ys[0]!, y1 = ys[nr]!;
    for (const line of lines) {
      for (const it of line.items) {
        if (it.claimed) continue;
        const x = it.x0 + Math.min(it.size / 2, (it.x1 - it.x0) / 2);
        const y = it.y - 0.3 * it.size;
        if (x < x0 || x > x1 || y < y0 || y > y1) continue;
        const c = xs.findIndex((_, k) => k < nc && x >= xs[k]! && x <= xs[k + 1]!);
        const r = ys.findIndex((_, k) => k < nr && y >= ys[k]! && y <= ys[k + 1]!);
        if (c < 0 || r < 0) continue;
        cells[owner[r * nc + c]!]!.push(it);
      }
    }
    const rows: TableRow[] = [];
    for (let r = 0; r < nr; r++) {
      const row = rowOf(cells.slice(r * nc, (r + 1) * nc));
      if (row) rows.push(row);
    }
    const columns = xs.slice(0, nc).map((x, k) => ({ x0: x, x1: xs[k + 1]! }));
    if (rows.length) tables.push({ top: rows[0]!.first, columns, weak: false, finish: () => ({ rows }) });
  }
  return tables;
}

// ---------------------------------------------------------------- unruled

interface Band {
  lines: Line[];
  items: Item[];
}

interface Interval extends Span {
  items: Item[];
  /** Largest font size of its runs. */
  size: number;
}

/** The x-ranges covered by the runs, overlapping runs merged. */
function intervals(items: Item[]): Interval[] {
  const sorted = [...items].sort((a, b) => a.x0 - b.x0);
  const out: Interval[] = [];
  for (const it of sorted) {
    const last = out.at(-1);
    if (last && it.x0 <= last.x1 + 0.5) {
      last.x1 = Math.max(last.x1, it.x1);
      last.size = Math.max(last.size, it.size);
      last.items.push(it);
    } else out.push({ x0: it.x0, x1: it.x1, items: [it], size: it.size });
  }
  return out;
}

/**
 * Intervals with the gaps that are only word spaces closed: a gap counts as a
 * gutter when it is wide (0.8 em) or when two lines have text on both sides of it.
 */
function columnsOf(items: Item[]): Interval[] {
  const raw = intervals(items);
  const out: Interval[] = [];
  for (const iv of raw) {
    const last = out.at(-1);
    if (last) {
      const size = Math.max(last.size, iv.size);
      const left = new Set(last.items.map((i) => i.line));
      const both = new Set(iv.items.map((i) => i.line).filter((l) => left.has(l))).size;
      if (iv.x0 - last.x1 < 0.8 * size && both < 2) {
        last.x1 = Math.max(last.x1, iv.x1);
        last.size = size;
        last.items.push(...iv.items);
        continue;
      }
    }
    out.push({ ...iv, items: [...iv.items] });
  }
  return out;
}

/** Lines → bands: a new band where the baseline gap exceeds the pitch by a third. */
export function bandsOf(lines: Line[], pitch: (size: number) => number): Band[] {
  const bands: Band[] = [];
  let prev: Line | undefined;
  for (const line of lines) {
    const items = line.items.filter((i) => !i.claimed);
    if (!items.length) continue;
    const last = bands.at(-1);
    if (last && prev && line.y - prev.y <= 1.35 * pitch(Math.max(line.size, prev.size))) {
      last.lines.push(line);
      last.items.push(...items);
    } else bands.push({ lines: [line], items });
    prev = line;
  }
  return bands;
}

/** "fit": every x-range within a column or a gutter; "span": one across columns; "none": outside the table. */
type Fit = "fit" | "span" | "none";

/** Overlap that counts: more than half an em, or more than half the narrower range. */
function overlaps(a: Span, b: Span, size: number): boolean {
  const o = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  return o > 0.5 * size || o > 0.5 * Math.min(a.x1 - a.x0, b.x1 - b.x0);
}

const sizeOf = (iv: Interval) => iv.size;

/**
 * How a band's runs sit on the columns found so far: each x-range within one
 * column, or in a gutter ("fit"); one across two columns with a wide gutter
 * between them ("span": a merged cell, or text that is not the table's).
 * Header cells are centred and may overhang their column a little: small
 * overlaps do not count.
 */
function fitOf(items: Item[], columns: Span[], extent: Span = spanOf(columns)): Fit {
  const slack = Math.max(0.15 * (extent.x1 - extent.x0), 3 * Math.max(...items.map((i) => i.size)));
  for (const iv of intervals(items)) {
    // Text reaching well past the table's sides is not the table's.
    if (iv.x0 < extent.x0 - slack || iv.x1 > extent.x1 + slack) return "none";
    const over = columns.filter((c) => overlaps(iv, c, sizeOf(iv)));
    const wide = over.some((c, k) => k > 0 && c.x0 - over[k - 1]!.x1 >= 0.8 * sizeOf(iv));
    if (over.length >= 2 && wide) return "span";
  }
  return "fit";
}

const spanOf = (columns: Span[]): Span => ({ x0: columns[0]?.x0 ?? 0, x1: columns.at(-1)?.x1 ?? 0 });
const unionOf = (a: Span, b: Span): Span => ({ x0: Math.min(a.x0, b.x0), x1: Math.max(a.x1, b.x1) });

/** The columns grown by a band that fits: a range in one column widens it, a range in a gutter opens a column. */
function widen(columns: Span[], items: Item[]): Span[] {
  const out = columns.map((c) => ({ ...c }));
  for (const iv of intervals(items)) {
    const over = out.filter((c) => overlaps(iv, c, sizeOf(iv)));
    if (over.length === 1) {
      over[0]!.x0 = Math.min(over[0]!.x0, iv.x0);
      over[0]!.x1 = Math.max(over[0]!.x1, iv.x1);
    } else if (!over.length) out.push({ x0: iv.x0, x1: iv.x1 });
  }
  return out.sort((a, b) => a.x0 - b.x0);
}

/**
 * The final columns: the x-ranges the body rows cover (they wrap inside their
 * cells, so a gutter between them is real, however narrow). When the header
 * has more columns than the body showed, its ranges that fall in no body
 * column are added (a column left empty on this page).
 */
function finalColumns(body: Band[], header: Band | undefined, grid: Span[], neighbours: Span[][]): Span[] {
  const cols: Span[] = intervals(body.flatMap((b) => b.items.flatMap((it) => splitAtGutters(it, grid)))).map(({ x0, x1 }) => ({ x0, x1 }));
  // Columns of the neighbouring piece of the table, where this one shows none;
  // only if the two agree (each column here lies on exactly one of theirs).
  const meets = (a: Span, b: Span) => Math.min(a.x1, b.x1) > Math.max(a.x0, b.x0);
  for (const borrowed of neighbours) {
    if (cols.every((c) => borrowed.filter((b) => meets(b, c)).length === 1)) {
      cols.push(...borrowed.filter((b) => !cols.some((c) => meets(b, c))));
    }
  }
  const head = header ? intervals(splitHeader(header.items, cols)) : [];
  const missing = head.filter((h) => !cols.some((c) => Math.min(c.x1, h.x1) > Math.max(c.x0, h.x0)));
  cols.push(...missing.slice(0, Math.max(0, head.length - cols.length)).map(({ x0, x1 }) => ({ x0, x1 })));
  return cols.sort((a, b) => a.x0 - b.x0);
}

/**
 * A run across a gutter (pdf.js joins runs that nearly touch) is cut at the
 * space nearest the gutter. `loose`: the pieces need only be centred in their
 * columns (header cells may be wider than the body's).
 */
function splitAtGutters(it: Item, columns: Span[], loose = false): Item[] {
  // Columns the run reaches well into: an em, or most of a narrow column;
  // `loose`: the columns whose middle it covers.
  const over = loose
    ? columns.filter((c) => it.x0 <= (c.x0 + c.x1) / 2 && it.x1 >= (c.x0 + c.x1) / 2)
    : columns.filter((c) => Math.min(c.x1, it.x1) - Math.max(c.x0, it.x0) >= Math.min(it.size, 0.8 * (c.x1 - c.x0)));
  if (over.length < 2 || !it.text.includes(" ")) return [it];
  const out: Item[] = [];
  let rest = it;
  for (let k = 1; k < over.length; k++) {
    const cut = (over[k - 1]!.x1 + over[k]!.x0) / 2;
    const perChar = (rest.x1 - rest.x0) / rest.text.length;
    const at = Math.round((cut - rest.x0) / perChar);
    let best = -1;
    for (let i = 0; i < rest.text.length; i++) if (rest.text[i] === " " && (best < 0 || Math.abs(i - at) < Math.abs(best - at))) best = i;
    if (best <= 0 || best >= rest.text.length - 1) break;
    const x = rest.x0 + best * perChar;
    out.push({ ...rest, text: rest.text.slice(0, best), x1: x });
    rest = { ...rest, text: rest.text.slice(best + 1), x0: x + perChar };
  }
  out.push(rest);
  // Cells cut apart each lie within a column; text that runs across the
  // columns (a note under the table, a merged cell) does not, and stays whole.
  const within = loose
    ? (p: Item, c: Span) => (p.x0 + p.x1) / 2 >= c.x0 - p.size && (p.x0 + p.x1) / 2 <= c.x1 + p.size
    : (p: Item, c: Span) => p.x0 >= c.x0 - p.size && p.x1 <= c.x1 + p.size;
  return out.every((p, k) => over[k] && within(p, over[k]!)) ? out : [it];
}

/** A band's words, sorted: a repeated header has the same words however its cells wrap. */
const keys = new WeakMap<Band, string>();
function bandKey(b: Band): string {
  let k = keys.get(b);
  if (k === undefined) {
    k = b.items
      .flatMap((i) => i.text.toLowerCase().split(/\s+/))
      .filter(Boolean)
      .sort()
      .join(" ");
    keys.set(b, k);
  }
  return k;
}

/**
 * Header runs cut at the columns (loosely: header cells may be wider than the
 * body's). Text reaching an em past the outer columns is cut there too: the
 * header of a column the body left empty on this page (a TT column over
 * continuation rows), joined to its neighbour by pdf.js.
 */
function splitHeader(items: Item[], columns: Span[]): Item[] {
  const first = columns[0];
  const last = columns.at(-1);
  if (!first || !last) return items;
  return items.flatMap((it) => {
    const cs = [...columns];
    if (it.x0 < first.x0 - it.size) cs.unshift({ x0: it.x0, x1: first.x0 - 1 });
    if (it.x1 > last.x1 + it.size) cs.push({ x0: last.x1 + 1, x1: it.x1 });
    return splitAtGutters(it, cs, true);
  });
}

/** Column whose range holds the span's centre, else the one whose centre is nearest. */
function centreColumn(columns: Span[], s: Span): number {
  const mid = (s.x0 + s.x1) / 2;
  const inside = columns.findIndex((c) => mid >= c.x0 && mid <= c.x1);
  if (inside >= 0) return inside;
  let best = 0;
  columns.forEach((c, k) => {
    if (Math.abs((c.x0 + c.x1) / 2 - mid) < Math.abs((columns[best]!.x0 + columns[best]!.x1) / 2 - mid)) best = k;
  });
  return best;
}

/** Column of a run: the one it overlaps most, else the nearest. */
function columnIndex(columns: Span[], it: Item): number {
  let best = -1;
  let bestScore = -Infinity;
  columns.forEach((c, k) => {
    const o = Math.min(c.x1, it.x1) - Math.max(c.x0, it.x0);
    const score = o > 0 ? o : -Math.min(Math.abs(c.x0 - it.x1), Math.abs(it.x0 - c.x1)) - 1e-3 * k;
    if (score > bestScore) [best, bestScore] = [k, score];
  });
  return Math.max(0, best);
}

export interface StreamContext {
  /** Columns of the table the previous page ended with, if it did. */
  carried: Span[] | null;
  /** Words of the last header row seen: a band repeating them starts a new table. */
  header: string | null;
}

interface Found {
  bands: Band[];
  spans: Set<Band>;
  columns: Span[];
  /** The header's x-ranges (a header may have widths of its own). */
  head: Span[];
  /** Columns of the previous page's last table, when this one opens the page (it may go on from there). */
  carried: Span[];
  /** The table's sides: the header's, widened by the body's columns. */
  extent: Span;
  headed: boolean;
  /** The first band repeats the last header seen. */
  repeat: boolean;
}

function streamTables(lines: Line[], pitch: (size: number) => number, ctx: StreamContext): TableDraft[] {
  const bands = bandsOf(lines, pitch);
  const found: Found[] = [];
  let cur: Found | null = null;

  // Ends the table. A one-cell band at its bottom is a caption or a note after
  // it, unless the page or the next header ends the table there. A header
  // alone is kept when it repeats one seen before (the rows went on the page before).
  const close = (atHeader = false) => {
    if (!cur) return;
    while (!atHeader && cur.bands.length > 2 && intervals(cur.bands.at(-1)!.items).length < 2 && cur.bands.at(-1) !== bands.at(-1)) cur.bands.pop();
    if (cur.bands.length >= 2 || !cur.headed || cur.repeat) found.push(cur);
    cur = null;
  };

  // pdf.js joins runs less than 0.6 em apart into one, with a space: cells
  // that nearly touch arrive as one run, cut again at the column gutters.
  // A run the body's columns cannot cut is tried with the header's columns too,
  // where the body has shown none yet.
  const cut = (band: Band, columns: Span[]) => {
    const all = [...columns, ...(cur?.head ?? []).filter((h) => !columns.some((c) => Math.min(c.x1, h.x1) > Math.max(c.x0, h.x0)))];
    all.sort((a, b) => a.x0 - b.x0);
    return band.items.flatMap((it) => {
      const pieces = splitAtGutters(it, columns);
      return pieces.length > 1 || columns.filter((c) => overlaps(it, c, it.size)).length < 2 ? pieces : splitAtGutters(it, all);
    });
  };

  bands.forEach((band, i) => {
    const prev = bands[i - 1];
    // Writer breaks a header row across pages too: its first lines end one page
    // (under them, the next page repeats the whole header) and the rest follows
    // that repeated header. Both parts say nothing the header does not: skipped.
    const fragment = isHeaderFragment(band, ctx.header) && (i === bands.length - 1 || (cur?.headed && cur.bands.length === 1));
    if (fragment) {
      for (const it of band.items) it.claimed = true;
      return;
    }
    if (cur && prev) {
      const gap = band.lines[0]!.y - prev.lines.at(-1)!.y;
      if (ctx.header !== null && bandKey(band) === ctx.header) close(true);
      else if (gap <= 4 * pitch(band.lines[0]!.size)) {
        const underHeader = cur.headed && cur.bands.length === 1;
        const items = underHeader ? band.items : cut(band, cur.columns);
        const fit = fitOf(items, cur.columns, cur.extent);
        const next = bands[i + 1];
        // Writer may set the header row with column widths of its own: the first
        // row under it only has to look like a row (text in two columns, or in
        // one narrower than half the header: a row cut by the page break).
        const head = cur.columns;
        const cells = intervals(items);
        const narrow = cells.length === 1 && cells[0]!.x1 - cells[0]!.x0 < 0.5 * (head.at(-1)!.x1 - head[0]!.x0);
        if (underHeader && (fit === "fit" || cells.length >= 2 || narrow)) {
          // From here on the columns are the body's; the header's span bounds them.
          cur.columns = widen([], items);
          cur.extent = unionOf(spanOf(head), spanOf(cur.columns));
          cur.bands.push(band);
          return;
        }
        if (fit === "fit") {
          cur.columns = widen(cur.columns, items);
          cur.extent = unionOf(cur.extent, spanOf(cur.columns));
          cur.bands.push(band);
          return;
        }
        // A band across columns (a merged cell) belongs to the table when the table goes on after it.
        if (fit === "span" && next && bandKey(next) !== ctx.header && fitOf(cut(next, cur.columns), cur.columns, cur.extent) === "fit") {
          cur.bands.push(band);
          cur.spans.add(band);
          return;
        }
        close();
      } else close();
    }
    if (columnsOf(band.items).length >= 3) {
      const key = bandKey(band);
      const columns = widen([], band.items);
      const carried = i === 0 && ctx.carried ? ctx.carried : [];
      cur = { bands: [band], spans: new Set(), columns, head: columns, carried, extent: spanOf(columns), headed: true, repeat: key === ctx.header };
      ctx.header = key;
    } else if (i === 0 && ctx.carried && fitOf(cut(band, ctx.carried), ctx.carried) === "fit") {
      const columns = widen(ctx.carried, cut(band, ctx.carried));
      cur = { bands: [band], spans: new Set(), columns, head: [], carried: ctx.carried, extent: spanOf(columns), headed: false, repeat: false };
    }
  });
  close();

  return found.map((t): TableDraft => {
    const body = t.bands.filter((b, k) => !(k === 0 && t.headed) && !t.spans.has(b));
    const header = t.headed && body.length ? t.bands[0] : undefined;
    for (const band of t.bands) for (const it of band.items) it.claimed = true;
    return {
      top: t.bands[0]!.lines[0]!,
      columns: finalColumns(body.length ? body : t.bands, header, t.columns, [t.carried]),
      weak: body.length <= 1,
      finish: (borrowed) => {
        const columns = finalColumns(body.length ? body : t.bands, header, t.columns, [t.carried, ...borrowed]);
        const rows: TableRow[] = [];
        for (const [k, band] of t.bands.entries()) {
          const cells: Item[][] = columns.map(() => []);
          if (k === 0 && t.headed) {
            // The header's cells (stacks of centred lines) go to the columns in
            // order when they are as many, else to the column under their centre.
            const head = intervals(splitHeader(band.items, columns));
            head.forEach((iv, i) => cells[head.length === columns.length ? i : centreColumn(columns, iv)]!.push(...iv.items));
          } else {
            for (const it of band.items) {
              const pieces = t.spans.has(band) ? [it] : splitAtGutters(it, columns);
              for (const piece of pieces) cells[columnIndex(columns, piece)]!.push(piece);
            }
          }
          const row = rowOf(cells);
          if (row) rows.push(row);
        }
        return { rows };
      },
    };
  });
}

/** Bold runs whose words are some of the header's, not all: part of a header row broken by the page. */
function isHeaderFragment(band: Band, header: string | null): boolean {
  if (!header || !band.items.every((i) => i.bold)) return false;
  const words = bandKey(band).split(" ");
  const pool = header.split(" ");
  if (!words.length || words.length >= pool.length) return false;
  for (const w of words) {
    const k = pool.indexOf(w);
    if (k < 0) return false;
    pool.splice(k, 1);
  }
  return true;
}

const ROW_LABEL = /^(?:\d{1,3}|[IVXLC]{1,6}|[A-ZĐ]|[a-zđ]\))\.?$/;

/**
 * Whether the page's drawn rules are worth reading (pdf.js's operator list
 * costs as much as its text): the page has runs far apart on a line (table
 * cells?) and either no unruled table shows in its layout, or one does whose
 * rows run together (two row numbers in one block of lines: a ruled table
 * without cell padding, whose rows only its rules separate).
 */
export function needsRules(lines: Line[], pitch: (size: number) => number): boolean {
  let spread = 0;
  for (const l of lines) {
    if (l.items.some((it, i) => i > 0 && it.x0 - l.items[i - 1]!.x1 >= l.size)) spread++;
  }
  if (spread < 2) return false;
  let tabular = false;
  for (const band of bandsOf(lines, pitch)) {
    const cols = columnsOf(band.items);
    if (cols.length < 3) continue;
    tabular = true;
    const labels = new Set(cols[0]!.items.filter((i) => ROW_LABEL.test(i.text)).map((i) => i.line));
    if (labels.size >= 2) return true;
  }
  return !tabular;
}

/** Tables of a page, top to bottom; their runs are marked claimed. */
export function pageTables(lines: Line[], rules: RawRule[], pitch: (size: number) => number, ctx: StreamContext): TableDraft[] {
  const ruled = ruledTables(lines, rules);
  const stream = streamTables(lines, pitch, ruled.length ? { carried: null, header: ctx.header } : ctx);
  return [...ruled, ...stream].sort((a, b) => a.top.y - b.top.y);
}
