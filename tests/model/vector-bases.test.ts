/**
 * Every golden vector of both eras (tests/golden/vectors.json: transformers 4.43.3; modern.json: 5.18.0,
 * copied from ../shared/vectors) records the base model's parameter count as PEFT saw it. For every
 * model_type we support, our inventory for that config, task and transformers release must reproduce it
 * exactly, whether or not the vector's method is implemented.
 */
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { buildInventory, familyOf } from "../../src/model/inventory.js";
import { totalParams } from "../../src/model/types.js";
import type { Task } from "../../src/model/tasks.js";
import { parseVersion } from "../../src/versions.js";

interface Vector {
  id: string;
  task: Task;
  versions?: { transformers?: string };
  model: Record<string, unknown> & { model_type: string };
  cliArgs?: string[];
  expected: { baseParams?: number };
}

/** Python's json writes bare Infinity / NaN (some HF configs hold them): read them as null. */
const load = (file: string) =>
  JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8").replace(/(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g, "null")) as Vector[];
const modelTypeOf = (v: Vector) => {
  const inner = v.model["text_config"] as { model_type?: string } | undefined;
  return familyOf(v.model.model_type) ? v.model.model_type : inner?.model_type ?? v.model.model_type;
};
const argOf = (v: Vector, flag: string) => {
  const i = v.cliArgs?.indexOf(flag) ?? -1;
  return i >= 0 ? v.cliArgs![i + 1] : undefined;
};

for (const file of ["../golden/vectors.json", "../golden/modern.json"]) {
  const covered = load(file).filter((v) => familyOf(modelTypeOf(v)) && v.expected.baseParams !== undefined);
  describe(`base parameters of every vector's model (${file.slice(10)})`, () => {
    test.each(covered.map((v) => [v.id, v] as const))("%s", (_id, v) => {
      const labels = argOf(v, "--num-labels");
      const inv = buildInventory(v.model, {
        task: v.task,
        transformers: parseVersion(v.versions?.transformers ?? "4.43.3", "transformers"),
        expertLayout: argOf(v, "--expert-layout") as "per-expert" | "fused" | undefined,
        numLabels: labels === undefined ? undefined : Number(labels),
      });
      expect(totalParams(inv.modules)).toBe(v.expected.baseParams);
    });
  });
}
