// Row types of the store. Times are ISO-8601 UTC strings; JSON columns are decoded.

export const STATUS_KEYS = ["chua_trien_khai", "dang_thuc_hien", "hoan_thanh", "cham_tien_do", "vuong_mac"] as const;
export type StatusKey = (typeof STATUS_KEYS)[number];

export type Role = "user" | "admin";

export interface UserRow {
  id: number;
  channel: string;
  channelUserId: string;
  name: string;
  agencyId: string | null;
  role: Role;
  approved: boolean;
  approvedBy: number | null;
  approvedAt: string | null;
  viaInvite: boolean;
  /** The user's latest registration (submission of /dangky); null for an admin who never registered. */
  registrationId: number | null;
  createdAt: string;
  updatedAt: string;
}

export type RegistrationStatus = "pending" | "approved" | "rejected" | "superseded";

/** One submission of /dangky: what the admin sees and decides on, by its id. */
export interface RegistrationRow {
  id: number;
  userId: number;
  /** The user's channel and id there (for notices). */
  channel: string;
  channelUserId: string;
  name: string;
  agencyId: string | null;
  viaInvite: boolean;
  inviteId: number | null;
  status: RegistrationStatus;
  createdAt: string;
  decidedBy: number | null;
  decidedAt: string | null;
}

/**
 * What an approval or a rejection did — or why the store refused it:
 * - approved: the registration's name and agency are the user's, approved;
 * - restored: a re-registration refused, the user keeps the earlier approved one (`restored`);
 * - rejected: refused, the user row kept (it has status reports) but not approved;
 * - removed: refused, and the person (who had nothing else) removed;
 * - unknown / decided / superseded: nothing changed (`latest` is the newer submission).
 */
export type Decision =
  | { ok: true; outcome: "approved" | "restored" | "rejected" | "removed"; registration: RegistrationRow; user: UserRow | undefined; restored?: RegistrationRow }
  | { ok: false; reason: "unknown" | "decided" | "superseded"; registration?: RegistrationRow; latest?: RegistrationRow };

/** An invite code made with /maomoi (the code itself is never stored, only its hash). */
export interface InviteRow {
  id: number;
  agencyId: string;
  maxUses: number;
  uses: number;
  expiresAt: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface ChatRow {
  channel: string;
  chatId: string;
  type: "private" | "group";
  title: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TaskRow {
  id: string;
  plan: string;
  name: string;
  leadIds: string[];
  coordinatorIds: string[];
  due: string | null;
  deadlineRaw: string;
  archivedAt: string | null;
  firstSeenAt: string;
  updatedAt: string;
}

/** What a task looks like to the mirror (a subset of knowledge's Task). */
export interface TaskInput {
  id: string;
  plan: string;
  name: string;
  leadAgencies: { id: string }[];
  coordinatorAgencies: { id: string }[];
  deadline: { due: string | null; raw: string };
}

export interface SyncResult {
  inserted: number;
  updated: number;
  unchanged: number;
  archived: number;
  restored: number;
}

export interface NewStatusUpdate {
  taskId: string;
  userId: number;
  status: StatusKey;
  percent: number;
  done?: string;
  obstacles?: string;
  proposal?: string;
  expectedBy?: string | null;
  reportedAt: string;
  channel: string;
  chatId?: string | null;
  messageId?: string | null;
}

export interface StatusUpdateRow {
  id: number;
  taskId: string;
  userId: number;
  status: StatusKey;
  percent: number;
  done: string;
  obstacles: string;
  proposal: string;
  expectedBy: string | null;
  reportedAt: string;
  channel: string;
  chatId: string | null;
  messageId: string | null;
}

/** A status update with who sent it (for views and exports). */
export interface StatusUpdateView extends StatusUpdateRow {
  userName: string;
  userAgencyId: string | null;
}

export interface SessionKey {
  channel: string;
  chatId: string;
  userId: string;
}

export interface SessionRow extends SessionKey {
  form: string;
  version: number;
  step: number;
  values: Record<string, unknown>;
  startedAt: string;
  updatedAt: string;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  subject: string | null;
  detail: unknown;
}
