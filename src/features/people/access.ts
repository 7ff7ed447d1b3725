// Who reads what — the one place these rules live (the bot's views and the web
// dashboard ask the same questions):
// - anyone may ask about the plans (tasks, agencies, deadlines, targets);
// - a task's status and percent: anyone;
// - a task's status details (who reported, what was done, obstacles, proposals,
//   expected date): admins, and approved officials of its lead or coordinating
//   agencies (of any agency when only collectives lead it, as for reporting);
// - an agency's list of tasks with their status (/nhiemvu): admins for any agency,
//   an approved official for their own;
// - a group's reminder settings: admins, and approved officials of an agency the
//   group follows.
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { UserRow } from "../../store/index.js";

export interface Identity {
  /** The stored user (admins get a row on first use). */
  user: UserRow | undefined;
  admin: boolean;
  /** "telegram:123" — for the audit log. */
  actor: string;
}

/** The agencies a task names, by id (a knowledge Task through `partiesOf`, or a stored task row as it is). */
export interface TaskParties {
  leadIds: readonly string[];
  coordinatorIds: readonly string[];
}

export function partiesOf(task: { leadAgencies: { id: string }[]; coordinatorAgencies: { id: string }[] }): TaskParties {
  return { leadIds: task.leadAgencies.map((a) => a.id), coordinatorIds: task.coordinatorAgencies.map((a) => a.id) };
}

/** The agency of an approved official (not an admin as such); undefined for anyone else. */
export function officialAgency(me: Identity): string | undefined {
  const u = me.user;
  return u?.approved && u.agencyId ? u.agencyId : undefined;
}

/**
 * Is this agency one of the task's parties: a lead, a coordinator, or — when the task is led
 * only by collectives ("Các sở, ngành, địa phương") — any agency at all?
 */
export function isParty(knowledge: KnowledgeIndex, agencyId: string, task: TaskParties): boolean {
  if (task.leadIds.includes(agencyId) || task.coordinatorIds.includes(agencyId)) return true;
  const leads = task.leadIds.map((id) => knowledge.agencies.find((a) => a.id === id)).filter((a) => a !== undefined);
  return leads.length > 0 && leads.every((a) => a.isGroup);
}

/** May this identity see a task's status details (reporter, notes), or only its status and percent? */
export function maySeeStatusDetails(knowledge: KnowledgeIndex, me: Identity, task: TaskParties): boolean {
  if (me.admin) return true;
  const agency = officialAgency(me);
  return agency !== undefined && isParty(knowledge, agency, task);
}

/** May this identity see this agency's list of tasks with their status? */
export function maySeeAgencyList(me: Identity, agencyId: string): boolean {
  return me.admin || officialAgency(me) === agencyId;
}

/**
 * May this identity change the reminder settings of a group that follows these agencies?
 * Without `followed`: may it change any group's settings at all (an admin or an approved official)?
 */
export function mayManageGroup(me: Identity, followed?: ReadonlySet<string>): boolean {
  if (me.admin) return true;
  const agency = officialAgency(me);
  return agency !== undefined && (followed === undefined || followed.has(agency));
}
