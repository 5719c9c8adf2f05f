/**
 * The encoder presets (BERT, RoBERTa, XLM-RoBERTa, DistilBERT, DeBERTa-v3) reproduce their published
 * totals. Those count the bare encoder, i.e. the FEATURE_EXTRACTION class.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { BERT_PRESETS } from "../../src/model/presets/bert.js";
import { DEBERTA_V2_PRESETS } from "../../src/model/presets/deberta-v2.js";
import { DISTILBERT_PRESETS } from "../../src/model/presets/distilbert.js";
import { totalParams } from "../../src/model/types.js";

const PRESETS = [...BERT_PRESETS, ...DISTILBERT_PRESETS, ...DEBERTA_V2_PRESETS];

describe("encoder presets", () => {
  test("the expected ids are all there", () => {
    expect(PRESETS.map((p) => p.id).sort()).toEqual(
      ["bert-base-uncased", "bert-large-uncased", "deberta-v3-base", "distilbert-base-uncased", "roberta-base", "roberta-large", "xlm-roberta-base"].sort(),
    );
  });

  test.each(PRESETS.map((p) => [p.id, p] as const))("%s: bare model = publishedParams", (_id, p) => {
    const inv = buildInventory(p.config, { task: "FEATURE_EXTRACTION" });
    expect(totalParams(inv.modules)).toBe(p.publishedParams);
    expect(p.note).toMatch(/bare encoder/);
  });

  test.each([
    ["google-bert/bert-base-uncased", "bert-base-uncased"],
    ["google-bert/bert-large-uncased", "bert-large-uncased"],
    ["FacebookAI/roberta-base", "roberta-base"],
    ["facebookai/roberta-large", "roberta-large"],
    ["FacebookAI/xlm-roberta-base", "xlm-roberta-base"],
    ["distilbert/distilbert-base-uncased", "distilbert-base-uncased"],
    ["microsoft/deberta-v3-base", "deberta-v3-base"],
  ])("alias %s finds %s", (alias, id) => {
    expect(findPreset(alias)?.id).toBe(id);
  });

  test("the SEQ_CLS totals quoted in the notes", () => {
    const seqCls = (id: string) => totalParams(buildInventory(findPreset(id)!.config, { task: "SEQ_CLS", numLabels: 2 }).modules);
    expect(seqCls("bert-base-uncased")).toBe(109_483_778);
    expect(seqCls("bert-large-uncased")).toBe(335_143_938);
    expect(seqCls("roberta-base")).toBe(124_647_170);
    expect(seqCls("roberta-large")).toBe(355_361_794);
    expect(seqCls("xlm-roberta-base")).toBe(278_045_186);
    expect(seqCls("distilbert-base-uncased")).toBe(66_955_010);
    expect(seqCls("deberta-v3-base")).toBe(184_423_682);
  });
});

// The presets taken from ../shared/reference/configs carry the file verbatim (keys in the same order).
const refDir = fileURLToPath(new URL("../../../shared/reference/configs/", import.meta.url));
const fromFiles = PRESETS.filter((p) => existsSync(`${refDir}${p.id}.json`));

describe.skipIf(fromFiles.length === 0)("encoder presets copied from shared/reference/configs", () => {
  test.each(fromFiles.map((p) => [p.id, p] as const))("%s is verbatim", (id, p) => {
    const file = JSON.parse(readFileSync(`${refDir}${id}.json`, "utf8")) as Record<string, unknown>;
    expect(Object.keys(p.config)).toEqual(Object.keys(file));
    expect(p.config).toEqual(file);
  });
});
