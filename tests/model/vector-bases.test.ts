/**
 * Every reference vector (tests/golden/vectors.json, copied from ../shared/vectors) records the base
 * model's parameter count as PEFT saw it. For every model_type we support, our inventory for that
 * config and task must reproduce it exactly.
 */
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { buildInventory, familyOf } from "../../src/model/inventory.js";
import { totalParams } from "../../src/model/types.js";
import type { Task } from "../../src/model/tasks.js";

interface Vector {
  id: string;
  source: string;
  task: Task;
  model: Record<string, unknown> & { model_type: string };
  cliArgs?: string[];
  expected: { baseParams?: number };
}

const vectors = JSON.parse(readFileSync(new URL("../golden/vectors.json", import.meta.url), "utf8")) as Vector[];
const modelTypeOf = (v: Vector) => {
  const inner = v.model["text_config"] as { model_type?: string } | undefined;
  return familyOf(v.model.model_type) ? v.model.model_type : inner?.model_type ?? v.model.model_type;
};
const covered = vectors.filter((v) => familyOf(modelTypeOf(v)) && v.expected.baseParams !== undefined);

describe("base parameters of every reference vector's model", () => {
  test.each(covered.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const expertLayout = v.cliArgs?.includes("per-expert") ? "per-expert" : undefined;
    const inv = buildInventory(v.model, { task: v.task, expertLayout });
    expect(totalParams(inv.modules)).toBe(v.expected.baseParams);
  });
});
