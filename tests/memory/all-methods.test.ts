/**
 * `memory --methods all`: every method of the registry that applies to the model gets a row, its trainable tensors
 * add up to the counting engine's trainable parameters (no "memory counts" warning), and its bytes sum up.
 */
import { describe, expect, test } from "vitest";
import { FORMULAS } from "../../formulas/index.js";
import { memoryReportSchema } from "../../src/report/memory.js";
import { runCli } from "../cli/fake-io.js";

describe.each(["llama-3.2-1b", "gpt2", "bert-base-uncased", "t5-small"])("%s", (model) => {
  test("every method: a row or a reason", { timeout: 60_000 }, async () => {
    const r = await runCli(["memory", "--model", model, "--methods", "all", "--dtype", "bf16", "--optimizer", "adamw-8bit", "--json"]);
    expect(r.code).toBe(0);
    const report = memoryReportSchema.parse(JSON.parse(r.stdout));
    const seen = new Set([...report.rows.map((x) => x.method), ...(report.skipped ?? []).map((s) => s.method)]);
    expect([...seen].sort()).toEqual(FORMULAS.map((f) => f.id).sort());
    expect(r.stderr).not.toMatch(/memory counts/);
    for (const row of report.rows) {
      const b = row.bytes;
      expect(b.total).toBe(b.weights + b.adapter + b.grads + b.optimizerStates + b.masterWeights);
      expect(b.adapter).toBe(b.adapterTrainable + b.copies + b.frozenAdded + b.buffers);
    }
  });
});
