// Every migration, in order. To add one: create NNN-name.ts and add ONE line below.
// Version 2 is reserved for reminders; later additions use 3+.
import { initial } from "./001-initial.js";
import { reminders } from "./002-reminders.js";
import { inbox } from "./003-inbox.js";
import { access } from "./004-access.js";
import { dashboard } from "./005-dashboard.js";
import { digestMessages } from "./006-digest-messages.js";
import { askContext } from "./007-ask-context.js";
import { storeMeta } from "./008-store-meta.js";
import type { Migration } from "./types.js";

export type { Migration } from "./types.js";

export const migrations: Migration[] = [
  initial,
  reminders,
  inbox,
  access,
  dashboard,
  digestMessages,
  askContext,
  storeMeta,
].sort((a, b) => a.version - b.version);
