// Rule protected: the "who reads what" rules as plain functions over an identity
// (what the bot's views and the web dashboard both ask).
import { describe, expect, it } from "vitest";
import { isParty, mayManageGroup, maySeeAgencyList, maySeeStatusDetails, type Identity } from "../../../src/features/people/index.js";
import { KnowledgeIndex } from "../../../src/knowledge/knowledge-index.js";
import type { UserRow } from "../../../src/store/index.js";
import { CAC_SO, KHCN, knowledgeBase, NV, TC } from "../progress/fixtures.js";

const knowledge = new KnowledgeIndex(knowledgeBase());
const user = (agencyId: string | null, approved = true): UserRow => ({
  id: 1,
  channel: "telegram",
  channelUserId: "1",
  name: "A",
  agencyId,
  role: "user",
  approved,
  approvedBy: null,
  approvedAt: null,
  viaInvite: false,
  registrationId: 1,
  createdAt: "",
  updatedAt: "",
});
const me = (u: UserRow | undefined, admin = false): Identity => ({ user: u, admin, actor: "telegram:1" });
const task = { leadIds: [KHCN.id], coordinatorIds: [TC.id] };
const collective = { leadIds: [CAC_SO.id], coordinatorIds: [] };

describe("who reads what", () => {
  it("status details: lead and coordinating agencies' approved officials, admins; any agency for a collective-led task", () => {
    expect(maySeeStatusDetails(knowledge, me(user(KHCN.id)), task)).toBe(true);
    expect(maySeeStatusDetails(knowledge, me(user(TC.id)), task)).toBe(true);
    expect(maySeeStatusDetails(knowledge, me(user(NV.id)), task)).toBe(false);
    expect(maySeeStatusDetails(knowledge, me(user(KHCN.id, false)), task)).toBe(false);
    expect(maySeeStatusDetails(knowledge, me(undefined), task)).toBe(false);
    expect(maySeeStatusDetails(knowledge, me(undefined, true), task)).toBe(true);
    expect(maySeeStatusDetails(knowledge, me(user(NV.id)), collective)).toBe(true);
    expect(isParty(knowledge, NV.id, { leadIds: [KHCN.id], coordinatorIds: [CAC_SO.id] })).toBe(false);
  });

  it("agency lists: one's own agency, admins any; group settings: admins, officials of a followed agency", () => {
    expect(maySeeAgencyList(me(user(NV.id)), NV.id)).toBe(true);
    expect(maySeeAgencyList(me(user(NV.id)), KHCN.id)).toBe(false);
    expect(maySeeAgencyList(me(user(NV.id, false)), NV.id)).toBe(false);
    expect(maySeeAgencyList(me(undefined, true), KHCN.id)).toBe(true);
    expect(mayManageGroup(me(user(NV.id)), new Set([KHCN.id]))).toBe(false);
    expect(mayManageGroup(me(user(NV.id)), new Set([KHCN.id, NV.id]))).toBe(true);
    expect(mayManageGroup(me(user(NV.id)))).toBe(true);
    expect(mayManageGroup(me(user(NV.id, false)))).toBe(false);
    expect(mayManageGroup(me(undefined, true), new Set())).toBe(true);
  });
});
