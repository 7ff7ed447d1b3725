// A form is data: fields with a Vietnamese prompt, a zod schema and a parser.
// The engine (engine.ts) walks a user through them, channel-independently.
import type { z } from "zod";
import type { CommandContext } from "../core/feature.js";
import type { Choice, Notice, OutMessage } from "../core/types.js";

export type Values = Record<string, unknown>;

export interface FieldContext {
  ctx: CommandContext;
  values: Values;
  now: Date;
}

export type FieldResult<T> =
  /** Accepted; `also` sets other values at the same time (e.g. percent 100 with "hoàn thành"). */
  | { ok: true; value: T; also?: Values }
  /**
   * Not accepted: `error` says why in one sentence; `choices` are offered (e.g. matching tasks);
   * `also` keeps scratch values (keys starting with "_", e.g. the offered choices) for the next answer.
   */
  | { ok: false; error: string; choices?: Choice[]; noExample?: boolean; also?: Values };

export interface Field<T = unknown> {
  key: string;
  /** Short name in the summary ("Tình trạng"). */
  label: string;
  prompt(f: FieldContext): string | Promise<string>;
  /** A valid answer, shown after an invalid one ("80%"). */
  example: string;
  optional?: boolean;
  /** Longest accepted answer in characters (default 300). */
  maxLength?: number;
  choices?(f: FieldContext): Choice[] | Promise<Choice[]>;
  parse(text: string, f: FieldContext): FieldResult<T> | Promise<FieldResult<T>>;
  schema: z.ZodType<T>;
  /** The value as shown in the summary. */
  format(value: T, values: Values): string;
  /** Not asked and not shown when true. */
  hidden?(values: Values): boolean;
}

export type SubmitResult =
  | { ok: true; messages: OutMessage[]; /** Sent to other chats once the save has committed. */ notices?: Notice[] }
  /** Refused: the session ends, or goes back to `field` when given. */
  | { ok: false; messages: OutMessage[]; field?: string };

export interface FormDef {
  name: string;
  /** Bump when fields change; a stored session of another version is dropped with a message. */
  version: number;
  /** "Cập nhật tình hình nhiệm vụ" — heads the summary. */
  title: string;
  fields: Field<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Keep derived values consistent after every answer. */
  normalize?(values: Values): Values;
  /** Save. Runs inside one store transaction together with deleting the session. */
  submit(values: Values, ctx: CommandContext): SubmitResult;
  /** Extra lines under the summary (e.g. a warning). */
  summaryNote?(values: Values, ctx: CommandContext): string | undefined;
}
