/** AdapterHub through the library API (src/index.ts), as a user of the package would call it. */
import { expect, test } from "vitest";
import { ADAPTERHUB_CONFIGS, buildInventory, chooseAdapterHubContext, countAdapterHub, findPreset } from "../../src/index.js";

test("countAdapterHub on a preset built on AdapterHub's transformers release", () => {
  const ctx = chooseAdapterHubContext({});
  const inv = buildInventory(findPreset("t5-base")!.config, { task: "SEQ_2_SEQ_LM", transformers: ctx.transformers });
  const b = countAdapterHub(inv, "compacter++", ctx);
  expect({ trainable: b.trainable, all: b.allParams, summary: b.summaryFullModel }).toEqual({ trainable: 57_088, all: 222_903_552 + 57_088, summary: 222_903_552 });
  expect(ADAPTERHUB_CONFIGS.map((c) => c.name)).toContain("houlsby");
});
