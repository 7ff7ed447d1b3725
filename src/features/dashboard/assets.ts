// The dashboard's static files, served from the bot itself (government networks
// are often closed: no CDN): our script and style sheet, and Chart.js from
// node_modules. Each is read once, named by a hash of its content (so it can be
// cached for a year) and kept gzipped.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { swatchCss } from "./palette.js";

export interface Asset {
  /** "app.3f2a1c9e.js" */
  name: string;
  type: string;
  body: Buffer;
  gzip: Buffer;
}

export interface Assets {
  readonly style: Asset;
  readonly app: Asset;
  readonly chart: Asset;
  readonly icon: Asset;
  byName(name: string): Asset | undefined;
}

function asset(base: string, ext: string, type: string, body: Buffer): Asset {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 10);
  return { name: `${base}.${hash}.${ext}`, type, body, gzip: gzipSync(body, { level: 9 }) };
}

let loaded: Assets | undefined;

/** Read (once per process) and hash the files. */
export function loadAssets(): Assets {
  if (loaded) return loaded;
  const here = dirname(fileURLToPath(import.meta.url));
  const chartDir = dirname(createRequire(import.meta.url).resolve("chart.js"));
  const style = asset("style", "css", "text/css; charset=utf-8", Buffer.concat([readFileSync(join(here, "assets", "style.css")), Buffer.from(swatchCss() + "\n")]));
  const app = asset("app", "js", "text/javascript; charset=utf-8", readFileSync(join(here, "assets", "app.js")));
  const chart = asset("chart", "js", "text/javascript; charset=utf-8", readFileSync(join(chartDir, "chart.umd.min.js")));
  const icon = asset("icon", "svg", "image/svg+xml", readFileSync(join(here, "assets", "icon.svg")));
  const all = new Map([style, app, chart, icon].map((a) => [a.name, a]));
  loaded = { style, app, chart, icon, byName: (name) => all.get(name) };
  return loaded;
}
