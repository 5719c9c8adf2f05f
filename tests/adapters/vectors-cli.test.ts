/**
 * The AdapterHub vectors of both eras through the CLI, exactly as ../shared/tools/check-vectors runs them:
 * `count --model config.json --adapter adapter_config.json --json --task T --transformers-version V` (the
 * AdapterHub release comes from the adapter file's own "version"). rows[0] must hold the vector's counts.
 */
import { describe, expect, test } from "vitest";
import { runCli } from "../cli/fake-io.js";
import { ADAPTERHUB_ERAS } from "./helpers.js";

for (const [era, vectors] of ADAPTERHUB_ERAS) {
  describe(`AdapterHub vectors through the CLI (${era})`, { timeout: 60_000 }, () => {
    test.each(vectors.map((v) => [v.id, v] as const))("%s", async (_id, v) => {
      const argv = ["count", "--model", "config.json", "--adapter", "adapter_config.json", "--json", "--task", v.task];
      if (v.versions?.transformers) argv.push("--transformers-version", v.versions.transformers);
      const r = await runCli(argv, { files: { "config.json": JSON.stringify(v.model), "adapter_config.json": JSON.stringify(v.adapter) } });
      expect(r.stderr.split("\n").filter((l) => l.startsWith("error")).join("\n")).toBe("");
      const row = JSON.parse(r.stdout).rows[0];
      expect({ trainable: row.trainableParams, all: row.allParams, base: row.baseParams }).toEqual({ trainable: v.expected.trainableParams, all: v.expected.allParams, base: v.expected.baseParams });
    });
  });
}
