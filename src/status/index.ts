export { statusCommands, huyCommand, quaylaiCommand } from "./commands.js";
export { createStatusServices, createStatusService, statusOf, isAdmin, type StatusService, type StatusServices, type Identity, type Permission } from "./service.js";
export { capnhatCommand, capnhatForm, parseOneLine, saveUpdate, TEXT_LIMIT } from "./capnhat.js";
export { dangkyCommand, dangkyForm, duyetCommand, inviteAgency } from "./register.js";
export { tinhhinhCommand, nhiemvuCommand, baocaoCommand } from "./views.js";
export { exportCsv, csvCell } from "./csv.js";
export { standings, byAgency, type TaskStanding, type AgencySummary } from "./report.js";
export { STATUS_OPTIONS, statusLabel, parseStatus } from "./labels.js";
