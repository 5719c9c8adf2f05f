/** The library entry (src/index.ts) exposes budget and adapter sizes: the same answers as the CLI's. */
import { expect, test } from "vitest";
import { buildInventory, buildRow, findFormula, findPreset, rowAdapterSize, SIZE_KNOBS, solveBudget } from "../../src/index.js";

test("solveBudget and rowAdapterSize from the library", () => {
  const inv = buildInventory(findPreset("llama-3.2-1b")!.config);
  const lora = findFormula("lora")!;
  const answer = solveBudget({ inv, formula: lora, options: { target_modules: "all-linear" }, knob: SIZE_KNOBS["lora"]!, target: { kind: "trainable", max: 20_000_000 } });
  expect(answer.chosen?.value).toBe(28);
  expect(answer.chosen?.row.trainableParams).toBe(19_726_336);
  const row = buildRow(inv, { formula: lora, options: { r: 4, target_modules: ["q_proj", "v_proj"] } });
  // peft 0.21.0 save_pretrained: 1,712,288 bytes (tests/size/adapter-size.test.ts)
  expect(rowAdapterSize(inv, lora, row, "fp32").bytes).toBe(1_712_288);
});
