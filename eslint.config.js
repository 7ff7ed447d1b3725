import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through src/config.ts." }],
    },
  },
  // The dashboard's one browser script: browser globals and Chart.js (loaded before it).
  {
    files: ["src/features/dashboard/assets/**/*.js"],
    languageOptions: { sourceType: "script", globals: { window: "readonly", document: "readonly", console: "readonly", Chart: "readonly" } },
  },
  // The demo hands its environment to the bot process it spawns; it reads no configuration itself.
  { files: ["src/config.ts", "src/cli/demo.ts", "test/**", "bench/**"], rules: { "no-restricted-properties": "off" } },
);
