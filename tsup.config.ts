import { readFileSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

// Two builds: the CLI inlines every dependency (fast start, nothing to resolve at run time);
// the library keeps its runtime dependencies external and ships type declarations.
// PEFTCOUNT_CLI_ONLY=1 (npm start) skips the library and its type declarations.
const cliOnly = process.env["PEFTCOUNT_CLI_ONLY"] === "1";

export default defineConfig([
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    target: "node20",
    platform: "node",
    splitting: true,
    minify: true,
    clean: true,
    noExternal: [/.*/],
    outDir: "dist",
    define: { PEFTCOUNT_VERSION: JSON.stringify(version) },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  },
  ...(cliOnly ? [] : [library()]),
]);

function library(): Options {
  return {
    entry: { index: "src/index.ts" },
    format: ["esm"],
    target: "node20",
    platform: "neutral",
    dts: true,
    clean: false,
    outDir: "dist",
    external: ["zod", "re2js"],
  };
}
