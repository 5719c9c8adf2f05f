/**
 * AdapterHub prompt tuning (adapters:prompt_tuning). Numbers: AdapterHub vectors (adapters 1.2.0 main
 * 88f18eb + transformers 4.57.6; 1.0.0 + 4.43.3 where marked).
 */
import { describe, expect, test } from "vitest";
import { adaptersPromptTuning } from "../../formulas/adapters/prompt-tuning.js";
import { InputError } from "../../src/errors.js";
import { run, total, V10 } from "./method-helpers.js";

describe("adapters:prompt_tuning", () => {
  test.each(["bert-base-uncased", "roberta-base", "xlm-roberta-base", "distilbert-base-uncased", "deberta-v3-base"])("%s: prompt_length · hidden = 7680", (preset) => {
    expect(total(run(adaptersPromptTuning, preset))).toBe(7680); // adapters12-prompt-tuning-<model>, adapters-PromptTuningConfig-* (1.0.0)
  });
  test("prompt_length scales it", () => expect(total(run(adaptersPromptTuning, "bert-base-uncased", { prompt_length: 50 }))).toBe(38400));
  test("release rule: 1.2.0 refuses prompt tuning where the interface lacks it", () => {
    for (const preset of ["t5-base", "gpt2", "llama-3.2-1b", "bart-base", "qwen2.5-0.5b"]) expect(() => run(adaptersPromptTuning, preset), preset).toThrow(InputError);
  });
  test("release rule: 1.0.0 silently adds no prompt there (0 trainable)", () => {
    const p = run(adaptersPromptTuning, "t5-base", {}, V10);
    expect(total(p)).toBe(0);
    expect((p.warnings ?? []).join()).toMatch(/no prompt tuning/);
  });
  test("from_string needs prompt_init_text", () => {
    expect(() => run(adaptersPromptTuning, "bert-base-uncased", { prompt_init: "from_string" })).toThrow(/Prompt text/);
    expect(total(run(adaptersPromptTuning, "bert-base-uncased", { prompt_init: "from_string", prompt_init_text: "classify" }))).toBe(7680);
  });
  test("schema: combine is prefix or prefix_after_bos", () => expect(() => run(adaptersPromptTuning, "bert-base-uncased", { combine: "suffix" })).toThrow());
});
