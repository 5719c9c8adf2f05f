/**
 * HiRA: golden numbers (tests/golden/modern.json; the oracle, peft 0.21.0 + transformers 5.18.0, where
 * marked), embeddings and Conv1D, PEFT ignoring rank_pattern, the releases that have it, and bad options.
 */
import { expect, test } from "vitest";
import { hira } from "../../formulas/peft/hira.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";

const llama = buildInventory(findPreset("llama-3.2-1b")!.config, { task: "CAUSAL_LM" });

test("vector m5-hira-default-bert-base-uncased: r=32 on query, value, plus the classifier", () => {
  const bert = buildInventory(findPreset("bert-base-uncased")!.config, { task: "SEQ_CLS" });
  const { breakdown } = evaluate(hira, bert, { r: 32, task_type: "SEQ_CLS" });
  expect(breakdown.trainable).toBe(1_181_186);
  expect(breakdown.allParams).toBe(110_664_964);
});

test("vector m5-hira-r16-alllinear-llama-3.2-1b", () => {
  expect(evaluate(hira, llama, { r: 16, target_modules: "all-linear", task_type: "CAUSAL_LM" }).breakdown.trainable).toBe(11_272_192);
});

// oracle: peft 0.21.0 + transformers 5.18.0, llama-3.2-1b, {"r": 4, "target_modules": ["embed_tokens", "q_proj"], "rank_pattern": {"q_proj": 2}}
test("an embedding gets hira_embedding_A / _B; rank_pattern is ignored by PEFT (every module gets r), with a warning", () => {
  const { breakdown } = evaluate(hira, llama, { r: 4, target_modules: ["embed_tokens", "q_proj"], rank_pattern: { q_proj: 2 } });
  expect([breakdown.trainable, breakdown.allParams]).toEqual([783_360, 1_236_597_760]);
  expect(breakdown.parts.map((p) => p.name.split(".").pop())).toEqual(expect.arrayContaining(["hira_embedding_A", "hira_embedding_B", "hira_A", "hira_B"]));
  expect(breakdown.warnings.join(" ")).toMatch(/rank_pattern is ignored/);
});

// oracle: peft 0.21.0 + transformers 5.18.0, gpt2, {"r": 4, "target_modules": ["c_attn", "wte"]}
test("gpt2: Conv1D c_attn and the tied wte embedding", () => {
  const gpt2 = buildInventory(findPreset("gpt2")!.config, { task: "CAUSAL_LM" });
  const { breakdown } = evaluate(hira, gpt2, { r: 4, target_modules: ["c_attn", "wte"] });
  expect([breakdown.trainable, breakdown.allParams]).toEqual([351_556, 124_791_364]);
});

test("in PEFT since 0.20.0: older releases are refused", () => {
  const ctx = { peft: parseVersion("0.19.0", "peft"), transformers: parseVersion("5.18.0", "transformers") };
  expect(errorOf(() => evaluate(hira, llama, { target_modules: ["q_proj"] }, ctx)).code).toBe("METHOD_NOT_IN_RELEASE");
});

test("refusals: layers_to_transform or layers_pattern with a regex target (HiraConfig)", () => {
  expect(errorOf(() => evaluate(hira, llama, { target_modules: ".*q_proj", layers_pattern: "layers" })).code).toBe("CONFLICTING_OPTIONS");
  expect(errorOf(() => evaluate(hira, llama, { target_modules: "all-linear", layers_to_transform: 1 })).code).toBe("CONFLICTING_OPTIONS");
});

test.each([{ r: 0 }, { init_weights: "orthogonal" }, { hira_dropout: "high" }])("schema violation %j", (bad) => {
  expect(() => evaluate(hira, llama, { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
});
