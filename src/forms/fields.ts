// Reusable field builders: free text, a choice list, a percentage, a date.
import { z } from "zod";
import type { Choice } from "../core/types.js";
import { formatDate } from "../text/dates.js";
import { nfc, squash } from "../text/vietnamese.js";
import { isSkip, matchChoice, parseDate, parsePercent } from "./parsers.js";
import type { Field, FieldContext, Values } from "./types.js";

type Prompt = string | ((f: FieldContext) => string | Promise<string>);
const promptFn = (p: Prompt) => (typeof p === "string" ? () => p : p);

// Emoji and letters are fine; control characters (except line breaks) are not.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F]/gu;

/** Free text. Optional fields accept "-", "bỏ qua", "không" as empty (""). */
export function text(o: {
  key: string;
  label: string;
  prompt: Prompt;
  example: string;
  optional?: boolean;
  minLength?: number;
  maxLength?: number;
  hidden?: (v: Values) => boolean;
}): Field<string> {
  const min = o.minLength ?? 1;
  const max = o.maxLength ?? 1000;
  return {
    key: o.key,
    label: o.label,
    prompt: promptFn(o.prompt),
    example: o.example,
    optional: o.optional,
    maxLength: max,
    hidden: o.hidden,
    schema: z.string().max(max),
    parse(input) {
      const t = nfc(input).replace(CONTROL, " ").trim();
      if (o.optional && isSkip(t)) return { ok: true, value: "" };
      if ([...t].length < min) return { ok: false, error: `Cần ít nhất ${min} ký tự.` };
      if (!/[\p{L}\p{N}]/u.test(t)) return { ok: false, error: "Nội dung cần có chữ hoặc số." };
      return { ok: true, value: t };
    },
    format: (v) => squash(v),
  };
}

/** One of a fixed list; by number, label or value, with or without diacritics (plus extra synonyms). */
export function choice<T extends string>(o: {
  key: string;
  label: string;
  prompt: Prompt;
  options: { value: T; label: string }[];
  synonyms?: (text: string) => T | undefined;
  also?: (value: T, v: Values) => Values | undefined;
  hidden?: (v: Values) => boolean;
}): Field<T> {
  const choices: Choice[] = o.options.map((x) => ({ label: x.label, value: x.label }));
  const values = o.options.map((x) => x.value) as [T, ...T[]];
  return {
    key: o.key,
    label: o.label,
    prompt: promptFn(o.prompt),
    example: o.options[0]?.label ?? "",
    hidden: o.hidden,
    maxLength: 100,
    choices: () => choices,
    schema: z.enum(values) as unknown as z.ZodType<T>,
    parse(input, f) {
      const hit = matchChoice(input, choices);
      const value = hit ? o.options[choices.indexOf(hit)]!.value : o.synonyms?.(input);
      if (value === undefined) return { ok: false, error: "Chưa rõ lựa chọn. Gõ số thứ tự hoặc chọn nút." };
      return { ok: true, value, also: o.also?.(value, f.values) };
    },
    format: (v) => o.options.find((x) => x.value === v)?.label ?? String(v),
  };
}

/** 0–100: "80", "80%", "tám mươi", "xong". */
export function percent(o: { key: string; label: string; prompt: Prompt; hidden?: (v: Values) => boolean }): Field<number> {
  return {
    key: o.key,
    label: o.label,
    prompt: promptFn(o.prompt),
    example: "80%",
    hidden: o.hidden,
    maxLength: 40,
    schema: z.number().int().min(0).max(100),
    parse(input) {
      const r = parsePercent(input);
      return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
    },
    format: (v) => `${v}%`,
  };
}

/** A calendar day as ISO "2026-12-15"; "" when an optional date is skipped. */
export function date(o: {
  key: string;
  label: string;
  prompt: Prompt;
  optional?: boolean;
  future?: boolean;
  timeZone?: string;
  hidden?: (v: Values) => boolean;
}): Field<string> {
  return {
    key: o.key,
    label: o.label,
    prompt: promptFn(o.prompt),
    example: "15/12/2026 hoặc “cuối tháng”",
    optional: o.optional,
    hidden: o.hidden,
    maxLength: 40,
    schema: z.union([z.literal(""), z.iso.date()]),
    parse(input, f) {
      if (o.optional && isSkip(input)) return { ok: true, value: "" };
      const r = parseDate(input, f.now, { future: o.future, timeZone: o.timeZone });
      return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
    },
    format: (v) => formatDate(v),
  };
}
