// The progress feature: status updates from a phone (/capnhat), what stands
// where (/tinhhinh, /nhiemvu), the admins' report (/baocao) and the CSV export.
import type { Config } from "../../config.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Store } from "../../store/index.js";
import type { Feature } from "../feature.js";
import type { People } from "../people/index.js";
import { createCapnhat } from "./capnhat.js";
import { createTaskFinder, type FindRecordIds } from "./tasks.js";
import { createViews } from "./views.js";

export { exportCsv, csvCell, viDateTime, exportOrder, compareIds, EXPORT_COLUMNS, type ExportColumn, type ExportValue } from "./csv.js";
export { standings, byAgency, tally, count, emptyTally, STALE_DAYS, type TaskStanding, type AgencySummary, type Tally } from "./report.js";
export { STATUS_OPTIONS, statusLabel, parseStatus } from "./labels.js";
export { parseOneLine, TEXT_LIMIT } from "./capnhat.js";
export { VIEW_TEXTS } from "./views.js";
export { statusReader, type StatusReader } from "./status-reader.js";

export interface ProgressDeps {
  store: Store;
  knowledge: KnowledgeIndex;
  config: Pick<Config, "TIMEZONE">;
  people: People;
  /** Search for /capnhat and /tinhhinh keywords (the ask feature's retrieval); a word match when absent. */
  findRecordIds?: FindRecordIds;
}

export function createProgressFeature(deps: ProgressDeps): Feature {
  const finder = createTaskFinder(deps);
  const capnhat = createCapnhat({ ...deps, finder });
  const [tinhhinh, nhiemvu, baocao] = createViews({ ...deps, finder });
  return { name: "progress", commands: [capnhat.command, tinhhinh!, nhiemvu!, baocao!], forms: [capnhat.form] };
}
