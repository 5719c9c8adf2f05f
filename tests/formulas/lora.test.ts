/**
 * Golden vectors (tests/golden/vectors.json, produced by peft 0.17.1 + transformers 4.43.3, see each
 * vector's `source`): for every LoRA vector on a supported architecture, our trainable and all-params
 * counts equal PEFT's, exactly.
 */
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { evaluate } from "../../formulas/types.js";
import { lora } from "../../formulas/lora.js";
import { buildInventory, familyOf } from "../../src/model/inventory.js";
import { totalParams } from "../../src/model/types.js";
import type { Task } from "../../src/model/tasks.js";

interface Vector {
  id: string;
  source: string;
  task: Task;
  model: Record<string, unknown> & { model_type: string };
  adapter: Record<string, unknown>;
  cliArgs?: string[];
  expected: { trainableParams: number; allParams: number; baseParams: number };
}

const vectors = (JSON.parse(readFileSync(new URL("../golden/vectors.json", import.meta.url), "utf8")) as Vector[]).filter(
  (v) => v.adapter["peft_type"] === "LORA" && familyOf(v.model.model_type),
);

describe("LoRA golden vectors (peft 0.17.1)", () => {
  test.each(vectors.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const inv = buildInventory(v.model, { task: v.task, expertLayout: v.cliArgs?.includes("per-expert") ? "per-expert" : undefined });
    const { breakdown } = evaluate(lora, inv, v.adapter);
    expect({ trainable: breakdown.trainable, all: breakdown.allParams, base: totalParams(inv.modules) }).toEqual({
      trainable: v.expected.trainableParams,
      all: v.expected.allParams,
      base: v.expected.baseParams,
    });
    expect(breakdown.parts.reduce((s, p) => s + p.count, 0)).toBe(breakdown.trainable);
  });
});
