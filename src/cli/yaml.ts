/**
 * The YAML parser (`yaml`), loaded on first use. The CLI bundle keeps it out of its one file (a runtime dependency,
 * resolved from node_modules): `require` there — a dynamic import() cannot run in the bin shim's cached script —
 * and `import()` when run from source (tests).
 */
export async function loadYaml(): Promise<typeof import("yaml")> {
  return typeof require === "function" ? (require("yaml") as typeof import("yaml")) : await import("yaml");
}
