// The people feature: who is who (identity, roles) and how one joins
// (registration with an agency, an admin's approval).
import type { Feature } from "../feature.js";
import { createRegistration, type RegistrationDeps } from "./registration.js";

export { createPeople, type People, type Identity, type Permission } from "./service.js";

export function createPeopleFeature(deps: RegistrationDeps): Feature {
  const { form, commands } = createRegistration(deps);
  return { name: "people", commands, forms: [form] };
}
