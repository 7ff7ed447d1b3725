// The people feature: who is who (identity, roles) and how one joins
// (registration with an agency, an admin's approval).
import type { Feature } from "../feature.js";
import { createRegistration, type RegistrationDeps } from "./registration.js";

export { createPeople, PEOPLE_TEXTS, type People, type Identity, type Permission, type TaskParties } from "./service.js";
export { partiesOf, isParty, maySeeStatusDetails, maySeeAgencyList, mayManageGroup, officialAgency } from "./access.js";
export { answerPrivately, PRIVATE_TEXTS } from "./privately.js";
export { INVITE_POLICY, INVITE_TEXTS, MIN_CODE_LENGTH, hashCode, normalizeCode } from "./invites.js";

export function createPeopleFeature(deps: RegistrationDeps): Feature {
  const { form, commands } = createRegistration(deps);
  return { name: "people", commands, forms: [form] };
}
