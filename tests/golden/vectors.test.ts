/**
 * Golden vectors, both eras: tests/golden/vectors.json (peft 0.17.1 + transformers 4.43.3) and
 * tests/golden/modern.json (peft 0.21.0 + transformers 5.18.0), copies of ../shared/vectors made by running
 * the real libraries (each vector records its `source`). Every vector whose method peftcount implements and
 * whose model_type it builds must match exactly: trainable, all and base parameters.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { formulaForPeftType } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { buildInventory, familyOf } from "../../src/model/inventory.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";

export interface Vector {
  id: string;
  source: string;
  task: Task;
  versions?: { peft?: string; transformers?: string };
  model: Record<string, unknown> & { model_type: string };
  adapter: Record<string, unknown>;
  cliArgs?: string[];
  expected: { trainableParams: number; allParams: number; baseParams: number };
}

/** Python's json writes bare Infinity / NaN (some HF configs hold them): read them as JSON numbers would be. */
const load = (file: string) =>
  JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8").replace(/(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g, "null")) as Vector[];

function argOf(v: Vector, flag: string): string | undefined {
  const i = v.cliArgs?.indexOf(flag) ?? -1;
  return i >= 0 ? v.cliArgs![i + 1] : undefined;
}

const applicable = (v: Vector) => typeof v.adapter["peft_type"] === "string" && formulaForPeftType(v.adapter["peft_type"] as string) && familyOf(v.model.model_type);

for (const [file, era] of [["./vectors.json", "peft 0.17.1 + transformers 4.43.3"], ["./modern.json", "peft 0.21.0 + transformers 5.18.0"]] as const) {
  const vectors = load(file).filter(applicable);
  describe(`golden vectors (${era})`, () => {
    test.each(vectors.map((v) => [v.id, v] as const))("%s", (_id, v) => {
      const ctx = { peft: parseVersion(v.versions?.peft ?? "0.17.1", "peft"), transformers: parseVersion(v.versions?.transformers ?? "4.43.3", "transformers") };
      const layout = argOf(v, "--expert-layout") as "per-expert" | "fused" | undefined;
      const labels = argOf(v, "--num-labels");
      const inv = buildInventory(v.model, { task: v.task, expertLayout: layout, transformers: ctx.transformers, numLabels: labels === undefined ? undefined : Number(labels) });
      const formula = formulaForPeftType(v.adapter["peft_type"] as string)!;
      const { breakdown } = evaluate(formula, inv, v.adapter, ctx);
      expect({ trainable: breakdown.trainable, all: breakdown.allParams, base: totalParams(inv.modules) }).toEqual({
        trainable: v.expected.trainableParams,
        all: v.expected.allParams,
        base: v.expected.baseParams,
      });
      expect(breakdown.parts.reduce((s, p) => s + p.count, 0)).toBe(breakdown.trainable);
    });
  });
}
