// Status vocabulary: the five statuses as stored, as shown, and as people type them.
import { key } from "../../forms/parsers.js";
import type { StatusKey } from "../../store/index.js";

export const STATUS_OPTIONS: { value: StatusKey; label: string; short: string }[] = [
  { value: "chua_trien_khai", label: "Chưa triển khai", short: "CTK" },
  { value: "dang_thuc_hien", label: "Đang thực hiện", short: "ĐTH" },
  { value: "hoan_thanh", label: "Hoàn thành", short: "HT" },
  { value: "cham_tien_do", label: "Chậm tiến độ", short: "Chậm" },
  { value: "vuong_mac", label: "Gặp vướng mắc", short: "VM" },
];

export const statusLabel = (s: StatusKey | string): string => STATUS_OPTIONS.find((o) => o.value === s)?.label ?? s;

/** Folded phrases → status, longest first so "chua hoan thanh" never reads as "hoan thanh". */
const PHRASES: [string, StatusKey][] = (
  [
    ["chua trien khai", "chua_trien_khai"],
    ["chua thuc hien", "chua_trien_khai"],
    ["chua bat dau", "chua_trien_khai"],
    ["chua lam", "chua_trien_khai"],
    ["ctk", "chua_trien_khai"],
    ["dang thuc hien", "dang_thuc_hien"],
    ["dang trien khai", "dang_thuc_hien"],
    ["dang lam", "dang_thuc_hien"],
    ["dth", "dang_thuc_hien"],
    ["da hoan thanh", "hoan_thanh"],
    ["hoan thanh", "hoan_thanh"],
    ["hoan tat", "hoan_thanh"],
    ["xong", "hoan_thanh"],
    ["ht", "hoan_thanh"],
    ["done", "hoan_thanh"],
    ["cham tien do", "cham_tien_do"],
    ["cham", "cham_tien_do"],
    ["tre han", "cham_tien_do"],
    ["qua han", "cham_tien_do"],
    ["ctd", "cham_tien_do"],
    ["gap vuong mac", "vuong_mac"],
    ["vuong mac", "vuong_mac"],
    ["gap kho khan", "vuong_mac"],
    ["kho khan", "vuong_mac"],
    ["vm", "vuong_mac"],
  ] as [string, StatusKey][]
).sort((a, b) => b[0].length - a[0].length);

/** The status a whole answer names ("đang làm", "xong", "vuong mac"), if any. */
export function parseStatus(text: string): StatusKey | undefined {
  const k = key(text);
  return PHRASES.find(([p]) => p === k)?.[1];
}

/**
 * The first status phrase among words (as typed), e.g. ["80%", "đang", "thực", "hiện"] →
 * dang_thuc_hien at index 1, 3 words long. Words are compared folded.
 */
export function findStatus(words: readonly string[]): { status: StatusKey; index: number; count: number } | undefined {
  const folded = words.map((w) => key(w));
  for (let i = 0; i < folded.length; i++) {
    for (const [p, status] of PHRASES) {
      const parts = p.split(" ");
      if (parts.every((part, j) => folded[i + j] === part)) return { status, index: i, count: parts.length };
    }
  }
  return undefined;
}
