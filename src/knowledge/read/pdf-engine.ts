// pdf.js in a worker thread: opens the file, hands back each page's glyph runs
// (and, on request, its drawn ruling lines). Layout is rebuilt by the caller.
//
// Why pdfjs-dist 5.6 (legacy build): it is the maintained PDF engine in JS with a
// text layer API (positions, fonts) and an operator list (paths, for table
// rules), has no native build step, and 5.6.x is its last line whose `engines`
// accepts Node 20.19 (5.7+ and unpdf 1.x want Node 22). The legacy build is the
// one that runs on Node.
//
// Why a worker thread: (1) the legacy build installs core-js polyfills globally
// on Node 20 (a slower Array.prototype.push, JSON.parse/stringify replaced,
// `navigator`, `DOMMatrix` …); in a worker they stay out of the bot's process;
// (2) a pathological file can keep pdf.js busy in synchronous code, which only a
// worker can be stopped from: the caller terminates it at a deadline.

import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";

/** One glyph run from pdf.js, in page space: x right, y down, y at the baseline. */
export interface RawItem {
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
  /** pdf.js' id for the font; `fonts` maps it to the font's PostScript name. */
  font: string;
}

/** An axis-aligned stroke or thin filled rectangle, as its centre line. */
export interface RawRule {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface RawPage {
  width: number;
  height: number;
  items: RawItem[];
  /** Ruling lines, when the operator list was read for this page; null when not (yet). */
  rules: RawRule[] | null;
  /** pdf.js could not read this page: why. */
  error?: string;
}

export interface RawDocument {
  pages: RawPage[];
  fonts: Record<string, string>;
}

/** Why pdf.js gave up, by its exception names; "timeout", "memory" and "too-many-pages" are ours. */
export class PdfEngineError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

export interface EngineLimits {
  /** The worker is terminated after this long (whole read, both phases). */
  timeoutMs: number;
  maxPages: number;
  /** Heap limit of the worker. */
  maxMemoryMb: number;
  /** Pages with more path segments than this get no rules (a map, a drawing). */
  maxRulesPerPage: number;
}

// The worker's source, plain JavaScript (CommonJS, run with eval: true) so that
// it runs the same under tsx, vitest and a compiled build. It only talks to
// pdf.js; every layout decision is made in TypeScript on the main thread.
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const nativePush = Array.prototype.push;
const send = (m) => parentPort.postMessage(m);
(async () => {
  let pdfjs, doc;
  try {
    pdfjs = await import(workerData.pdfjsUrl);
    globalThis.pdfjsWorker = await import(workerData.pdfjsWorkerUrl);
    // core-js swaps in a JS push on Node 20 (an edge case of V8 <= 121); pdf.js
    // does not need it, and it makes text extraction markedly slower.
    Object.defineProperty(Array.prototype, "push", { value: nativePush, writable: true, configurable: true, enumerable: false });
    doc = await pdfjs.getDocument({
      data: workerData.data,
      verbosity: 0,
      disableFontFace: true,
      isEvalSupported: false,
      useSystemFonts: false,
      stopAtErrors: false,
      standardFontDataUrl: workerData.pdfjsDir + "/standard_fonts/",
      cMapUrl: workerData.pdfjsDir + "/cmaps/",
      cMapPacked: true,
    }).promise;
  } catch (e) {
    send({ type: "error", kind: (e && e.name) || "Error", message: String((e && e.message) || e) });
    return;
  }
  const { OPS } = pdfjs;
  // Matrix product and point transform, as in PDF (a b c d e f).
  const mul = (m, n) => [m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1], m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3], m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5]];
  const ap = (m, x, y) => [x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]];
  if (doc.numPages > workerData.maxPages) {
    send({ type: "error", kind: "too-many-pages", message: doc.numPages + " pages" });
    return;
  }
  const fonts = {};
  const STROKE = new Set([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
  const FILL = new Set([OPS.fill, OPS.eoFill]);

  // Axis-aligned segments of stroked paths, and thin filled rectangles, in page space.
  function rulesOf(ops, vpTransform) {
    const out = [];
    let ctm = [1, 0, 0, 1, 0, 0];
    const stack = [];
    const add = (m, ax, ay, bx, by) => {
      const [x0, y0] = ap(m, ax, ay);
      const [x1, y1] = ap(m, bx, by);
      if (Math.abs(x0 - x1) < 0.5 || Math.abs(y0 - y1) < 0.5) out.push(x0, y0, x1, y1);
    };
    for (let i = 0; i < ops.fnArray.length && out.length <= workerData.maxRulesPerPage * 4; i++) {
      const fn = ops.fnArray[i], args = ops.argsArray[i];
      if (fn === OPS.save) stack.push(ctm);
      else if (fn === OPS.restore) ctm = stack.pop() || ctm;
      else if (fn === OPS.transform) ctm = mul(ctm, args);
      else if (fn === OPS.paintFormXObjectBegin) { stack.push(ctm); if (args && args[0]) ctm = mul(ctm, args[0]); }
      else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() || ctm;
      else if (fn === OPS.constructPath) {
        const op = args[0], path = args[1] && args[1][0];
        const stroke = STROKE.has(op), fill = FILL.has(op);
        if (!path || !(stroke || fill) || typeof path.length !== "number") continue;
        const m = mul(vpTransform, ctm);
        // Walk the DrawOPS encoding: 0 moveTo x y, 1 lineTo x y, 2 curveTo 6, 3 quadraticCurveTo 4, 4 closePath.
        let sx = 0, sy = 0, cx = 0, cy = 0, pts = [];
        const flushRect = () => {
          if (fill && pts.length >= 8 && pts.length <= 10) {
            const xs = [], ys = [];
            for (let k = 0; k < 8; k += 2) { const [px, py] = ap(m, pts[k], pts[k + 1]); xs.push(px); ys.push(py); }
            const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
            const axis = xs.every((x) => Math.abs(x - x0) < 0.5 || Math.abs(x - x1) < 0.5) && ys.every((y) => Math.abs(y - y0) < 0.5 || Math.abs(y - y1) < 0.5);
            if (axis && y1 - y0 <= 2.5 && x1 - x0 > 2) out.push(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2);
            else if (axis && x1 - x0 <= 2.5 && y1 - y0 > 2) out.push((x0 + x1) / 2, y0, (x0 + x1) / 2, y1);
          }
          pts = [];
        };
        for (let k = 0; k < path.length; ) {
          const c = path[k];
          if (c === 0) { flushRect(); sx = cx = path[k + 1]; sy = cy = path[k + 2]; pts.push(cx, cy); k += 3; }
          else if (c === 1) { const x = path[k + 1], y = path[k + 2]; if (stroke) add(m, cx, cy, x, y); cx = x; cy = y; pts.push(x, y); k += 3; }
          else if (c === 2) { cx = path[k + 5]; cy = path[k + 6]; pts = []; k += 7; }
          else if (c === 3) { cx = path[k + 3]; cy = path[k + 4]; pts = []; k += 5; }
          else if (c === 4) { if (stroke) add(m, cx, cy, sx, sy); cx = sx; cy = sy; k += 1; }
          else break;
        }
        flushRect();
      }
    }
    return out.length > workerData.maxRulesPerPage * 4 ? [] : out;
  }

  // Rules are a help, not a must: a page whose drawing cannot be read has none.
  async function readRules(page, vp) {
    try {
      const ops = await page.getOperatorList();
      return rulesOf(ops, vp.transform);
    } catch {
      return [];
    }
  }

  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    try {
      const page = await doc.getPage(n);
      const vp = page.getViewport({ scale: 1 });
      const tc = await page.getTextContent();
      const items = [];
      let unknownFont = false;
      for (const it of tc.items) {
        if (!it.str || !it.str.trim()) continue;
        const m = mul(vp.transform, it.transform);
        const size = Math.hypot(m[2], m[3]);
        // Horizontal, upright text only (rotated stamps and margin notes are skipped).
        if (!(size > 0) || m[0] <= 0 || Math.abs(m[1]) > 0.05 * size || Math.abs(m[2]) > 0.05 * size) continue;
        items.push([it.str, m[4], m[5], it.width, size, it.fontName]);
        if (!(it.fontName in fonts)) unknownFont = true;
      }
      let rules = null;
      if (unknownFont) {
        // Font names reach this side only with an operator list; it gives the rules too.
        rules = await readRules(page, vp);
        for (const it of items) {
          const f = it[5];
          if (!(f in fonts)) fonts[f] = page.commonObjs.has(f) ? String(page.commonObjs.get(f).name || "") : "";
        }
      }
      pages.push({ width: vp.width, height: vp.height, items, rules });
    } catch (e) {
      pages.push({ width: 0, height: 0, items: [], rules: [], error: String((e && e.message) || e) });
    }
  }
  send({ type: "pages", pages, fonts });

  parentPort.on("message", async (msg) => {
    const rules = {};
    for (const n of msg.pages) {
      try {
        const page = await doc.getPage(n);
        rules[n] = await readRules(page, page.getViewport({ scale: 1 }));
      } catch {
        rules[n] = [];
      }
    }
    send({ type: "rules", rules });
  });
})();
`;

type WireItem = [string, number, number, number, number, string];
interface WirePage {
  width: number;
  height: number;
  items: WireItem[];
  rules: number[] | null;
  error?: string;
}
type WorkerMessage =
  | { type: "error"; kind: string; message: string }
  | { type: "pages"; pages: WirePage[]; fonts: Record<string, string> }
  | { type: "rules"; rules: Record<string, number[]> };

function toRules(flat: number[]): RawRule[] {
  const out: RawRule[] = [];
  for (let i = 0; i + 3 < flat.length; i += 4) {
    out.push({ x0: flat[i] ?? 0, y0: flat[i + 1] ?? 0, x1: flat[i + 2] ?? 0, y1: flat[i + 3] ?? 0 });
  }
  return out;
}

const require = createRequire(import.meta.url);

/**
 * An open PDF: its pages' text (read at once), rules on request, then close().
 * Every call rejects with PdfEngineError; the worker is gone after close() or a failure.
 */
export class PdfEngine {
  private worker: Worker;
  private pending: { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void } | null = null;
  private failure: PdfEngineError | null = null;
  private timer: NodeJS.Timeout;

  private constructor(data: Uint8Array, limits: EngineLimits) {
    const pdfjsPath = require.resolve("pdfjs-dist/legacy/build/pdf.mjs");
    const buffer = new Uint8Array(data).buffer; // a copy the worker may own
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        data: new Uint8Array(buffer),
        pdfjsUrl: pathToFileURL(pdfjsPath).href,
        pdfjsWorkerUrl: pathToFileURL(require.resolve("pdfjs-dist/legacy/build/pdf.worker.mjs")).href,
        pdfjsDir: dirname(dirname(dirname(pdfjsPath))),
        maxPages: limits.maxPages,
        maxRulesPerPage: limits.maxRulesPerPage,
      },
      transferList: [buffer],
      resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb },
      stdout: true, // pdf.js' console chatter stays in the worker
      stderr: true,
    });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.worker.on("message", (m: WorkerMessage) => {
      if (m.type === "error") return this.fail(new PdfEngineError(m.kind, m.message));
      const p = this.pending;
      this.pending = null;
      p?.resolve(m);
    });
    this.worker.on("error", (e: Error & { code?: string }) => {
      const memory = e.code === "ERR_WORKER_OUT_OF_MEMORY";
      this.fail(new PdfEngineError(memory ? "memory" : "crash", e.message));
    });
    this.worker.on("exit", () => this.fail(new PdfEngineError("crash", "the PDF worker stopped")));
    this.timer = setTimeout(
      () => this.fail(new PdfEngineError("timeout", `reading took longer than ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
  }

  private fail(e: PdfEngineError): void {
    if (!this.failure) this.failure = e;
    const p = this.pending;
    this.pending = null;
    p?.reject(this.failure);
    this.close();
  }

  private next(): Promise<WorkerMessage> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.pending = { resolve, reject }));
  }

  /** Opens the file and reads every page's text. */
  static async open(data: Uint8Array, limits: EngineLimits): Promise<{ engine: PdfEngine; doc: RawDocument }> {
    const engine = new PdfEngine(data, limits);
    const m = await engine.next();
    if (m.type !== "pages") throw new PdfEngineError("crash", "unexpected reply from the PDF worker");
    const pages = m.pages.map(
      (p): RawPage => ({
        width: p.width,
        height: p.height,
        items: p.items.map(([text, x, y, width, size, font]) => ({ text, x, y, width, size, font })),
        rules: p.rules ? toRules(p.rules) : null,
        ...(p.error ? { error: p.error } : {}),
      }),
    );
    return { engine, doc: { pages, fonts: m.fonts } };
  }

  /** Ruling lines of the given pages (1-based). */
  async rules(pages: number[]): Promise<Map<number, RawRule[]>> {
    const out = new Map<number, RawRule[]>();
    if (!pages.length) return out;
    const reply = this.next();
    this.worker.postMessage({ pages });
    const m = await reply;
    if (m.type !== "rules") throw new PdfEngineError("crash", "unexpected reply from the PDF worker");
    for (const n of pages) out.set(n, toRules(m.rules[String(n)] ?? []));
    return out;
  }

  close(): void {
    if (!this.failure) this.failure = new PdfEngineError("closed", "the PDF worker was closed");
    clearTimeout(this.timer);
    this.worker.removeAllListeners("exit");
    void this.worker.terminate();
  }
}
