/**
 * Two PEFT behaviours of the core: TOKEN_CLS / QUESTION_ANS task models add their head to modules_to_save only
 * after injection, so a head that the targets reach is wrapped and then refused; and a module that owns
 * parameters and has children (a Mamba mixer) is saved whole by modules_to_save.
 */
import { describe, expect, test } from "vitest";
import { evaluate } from "../../formulas/types.js";
import { lora } from "../../formulas/peft/lora.js";
import { loha } from "../../formulas/peft/loha.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import type { ParamModule } from "../../src/model/types.js";
import { leavesUnder, moduleTree } from "../../src/peft/modules.js";

const bert = (task: "TOKEN_CLS" | "QUESTION_ANS" | "SEQ_CLS") => buildInventory(findPreset("bert-base-uncased")!.config, { task });

describe("a task head that the targets reach", () => {
  // oracle: peft 0.21.0 + transformers 5.18.0, bert-base-uncased, LoRA r=8 all-linear, TOKEN_CLS and QUESTION_ANS:
  // TypeError: modules_to_save cannot be applied to modules of type <class 'peft.tuners.lora.layer.Linear'>
  test.each(["TOKEN_CLS", "QUESTION_ANS"] as const)("all-linear on %s is refused, as PEFT raises", (task) => {
    expect(() => evaluate(lora, bert(task), { r: 8, target_modules: "all-linear", task_type: task })).toThrow(/head, which PEFT both wraps and saves/);
    expect(() => evaluate(loha, bert(task), { r: 8, target_modules: "all-linear", task_type: task })).toThrow(/head, which PEFT both wraps and saves/);
  });

  test("excluding the head makes it count (the hint's fix)", () => {
    const { breakdown } = evaluate(lora, bert("TOKEN_CLS"), { r: 8, target_modules: "all-linear", task_type: "TOKEN_CLS", exclude_modules: ["classifier"] });
    expect(breakdown.trainable).toBeGreaterThan(0);
  });

  test("SEQ_CLS adds its head before injection: all-linear leaves it out and saves it", () => {
    const { breakdown } = evaluate(lora, bert("SEQ_CLS"), { r: 8, target_modules: "all-linear", task_type: "SEQ_CLS" });
    expect(breakdown.parts.some((p) => p.name === "classifier (modules_to_save copy)")).toBe(true);
  });
});

describe("leavesUnder", () => {
  test("a module with its own parameters and children is itself and its children", () => {
    const mk = (name: string): ParamModule => ({ name, kind: "other", className: "X", params: [{ name: "w", shape: [2] }] });
    const tree = moduleTree([mk("m.mixer"), mk("m.mixer.in_proj"), mk("m.mixer.out_proj"), mk("m.norm")]);
    expect(leavesUnder(tree, "m.mixer").map((m) => m.name)).toEqual(["m.mixer", "m.mixer.in_proj", "m.mixer.out_proj"]);
    expect(leavesUnder(tree, "m.norm").map((m) => m.name)).toEqual(["m.norm"]);
    expect(leavesUnder(tree, "m").map((m) => m.name)).toHaveLength(4);
  });
});
