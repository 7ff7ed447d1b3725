export { createFormEngine, CONFIRM_CHOICES, IDLE_MINUTES, type FormEngine } from "./engine.js";
export type { Field, FieldContext, FieldResult, FormDef, SubmitResult, Values } from "./types.js";
export * from "./parsers.js";
export * as fields from "./fields.js";
