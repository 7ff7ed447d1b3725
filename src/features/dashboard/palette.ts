// The six buckets a task falls in by its latest report, with their colours: one
// source for the charts (sent as data), the colour swatches (CSS) and the labels.
import type { StatusKey } from "../../store/index.js";
import { STATUS_OPTIONS, type Tally } from "../progress/index.js";
import type { StatusFilter } from "./data.js";

export interface Bucket {
  key: StatusFilter;
  label: string;
  color: string;
}

const COLORS: Record<StatusKey | "chua_bao_cao", string> = {
  chua_trien_khai: "#7b8698",
  dang_thuc_hien: "#2563c9",
  hoan_thanh: "#1e7d3a",
  cham_tien_do: "#d06a00",
  vuong_mac: "#c0262d",
  chua_bao_cao: "#c9ced6",
};

export const BUCKETS: readonly Bucket[] = [
  ...STATUS_OPTIONS.map((o) => ({ key: o.value, label: o.label, color: COLORS[o.value] })),
  { key: "chua_bao_cao", label: "Chưa báo cáo", color: COLORS.chua_bao_cao },
];

export const bucketCount = (t: Tally, k: StatusFilter): number => (k === "chua_bao_cao" ? t.unreported : t.byStatus[k]);

export const bucketLabel = (k: StatusFilter): string => BUCKETS.find((b) => b.key === k)?.label ?? k;

/** The swatch rules appended to the style sheet. */
export const swatchCss = (): string => BUCKETS.map((b) => `.sw-${b.key}{background:${b.color}}`).join("\n");
