// What a feature hands to start-up: its commands for the core, its forms for
// the form engine, and its jobs (work beside the dialogue) for main to start.
// A feature gets every dependency as a typed argument of its factory.
import type { Command, Job } from "../core/feature.js";
import type { FormDef } from "../forms/types.js";

export interface Feature {
  readonly name: string;
  readonly commands: Command[];
  readonly forms?: FormDef[];
  readonly jobs?: Job[];
}
