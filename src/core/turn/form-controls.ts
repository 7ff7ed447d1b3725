// The words that control an open form, in one place: the /huy and /quaylai
// commands, and the same words typed alone while a form is open.
import { commandKey } from "../command-key.js";

export type FormControlWord = "cancel" | "back";

/** Names of the built-in commands (folded) → what they do to a form. */
export const FORM_CONTROL_COMMANDS: Record<string, FormControlWord> = { huy: "cancel", quaylai: "back" };

// Not "dung": "dừng" (stop) and "đúng" (right, a yes) fold alike, and a yes must never cancel.
const TYPED: Record<string, FormControlWord> = {
  huy: "cancel",
  cancel: "cancel",
  thoat: "cancel",
  quaylai: "back",
  back: "back",
  ql: "back",
  trolai: "back",
};

/** "hủy", "Huỷ.", "quay lại", "back" typed as an answer → the control it means. */
export function typedControl(text: string): FormControlWord | undefined {
  if (text.length > 20) return undefined;
  return TYPED[commandKey(text)];
}
