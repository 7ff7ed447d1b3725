import { fold } from "../text/vietnamese.js";

/** The key command names are matched by: folded (no case, no diacritics), letters and digits only. */
export function commandKey(s: string): string {
  return fold(s).replace(/[^a-z0-9]/g, "");
}
