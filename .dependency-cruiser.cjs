// The one direction of the arrows (ARCHITECTURE.md), checked by `npm run check`
// and by test/architecture.test.ts (so CI fails on a violation).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", comment: "Modules never import each other in a circle.", from: {}, to: { circular: true } },
    {
      name: "core-stays-inside",
      severity: "error",
      comment: "The core imports only the core, text, the logger and the configuration: never a feature, a channel or the store.",
      from: { path: "^src/core/" },
      to: { path: "^src/", pathNot: "^src/(core/|text/|log\\.ts$|config\\.ts$)" },
    },
    {
      name: "features-not-channels",
      severity: "error",
      comment: "A feature never knows a platform: it speaks to the core.",
      from: { path: "^src/features/" },
      to: { path: "^src/(channels|cli|fakes)/|^src/(main|bot)\\.ts$" },
    },
    {
      name: "features-apart",
      severity: "error",
      comment: "A feature may use another's service (progress uses people), never a channel's; reminders, ask and people import no other feature.",
      from: { path: "^src/features/(ask|people|reminders)/" },
      to: { path: "^src/features/(ask|people|progress|reminders)/", pathNot: "^src/features/$1/" },
    },
    {
      name: "dashboard-reads-public-faces",
      severity: "error",
      comment: "The dashboard uses progress and people through their index.ts only, and no other feature.",
      from: { path: "^src/features/dashboard/" },
      to: { path: "^src/features/(?!dashboard/)", pathNot: "^src/features/(progress|people)/index\\.ts$|^src/features/feature\\.ts$" },
    },
    {
      name: "channels-translate-only",
      severity: "error",
      comment: "Channels translate between a platform and the core; they use no feature, no store and no knowledge.",
      from: { path: "^src/channels/" },
      to: { path: "^src/(features|store|knowledge|retrieval|forms)/" },
    },
    {
      name: "lower-rooms-stay-low",
      severity: "error",
      comment: "Knowledge, retrieval, store and text are below the features and the core.",
      from: { path: "^src/(knowledge|retrieval|store|text)/" },
      to: { path: "^src/(core|features|channels|cli|forms)/|^src/(main|bot)\\.ts$" },
    },
    {
      name: "nothing-imports-the-entry-points",
      severity: "error",
      comment: "main.ts and the CLI are entry points: nothing imports them.",
      from: { pathNot: "^src/cli/" },
      to: { path: "^src/(main\\.ts$|cli/)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
