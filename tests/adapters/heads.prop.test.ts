/**
 * Property tests of AdapterHub's flexible heads (src/adapters/heads.ts) on random small bare models
 * (tests/model/arbitraries.ts): exact safe integers, linear in num_labels, each extra layer one H×H + H Linear
 * (LM heads: one Linear(H, E) + LayerNorm), LM output embeddings frozen, never trainable. Invariants only.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { headParams, type HeadType } from "../../src/adapters/heads.js";
import { buildInventory } from "../../src/model/inventory.js";
import { bertConfig, gpt2Config, llamaLikeConfig } from "../model/arbitraries.js";

const RUNS = { numRuns: 60 };
const bare = fc.oneof(bertConfig, gpt2Config, llamaLikeConfig("llama"), llamaLikeConfig("mistral")).map((c) => buildInventory(c, { task: "FEATURE_EXTRACTION" }));
const trainable = (p: ReturnType<typeof headParams>) => p.parts.reduce((s, x) => s + x.count, 0);
const H = (inv: { anatomy?: { hiddenSize: number } | undefined; dims: { hiddenSize: number } }) => inv.anatomy?.hiddenSize ?? inv.dims.hiddenSize;

describe("flexible heads properties", () => {
  test.prop([bare, fc.constantFrom<HeadType>("classification", "multilabel_classification", "tagging", "question_answering"), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 50 })], RUNS)(
    "label heads: exact, linear in num_labels, + H·H + H per extra layer, nothing frozen",
    (inv, type, layers, labels) => {
      const at = (k: number, n: number) => headParams(inv, { type, layers: k, numLabels: n });
      const p = at(layers, labels);
      expect(Number.isSafeInteger(trainable(p))).toBe(true);
      expect(p.frozenAdded).toBe(0);
      expect(trainable(at(layers, labels + 1)) - trainable(p)).toBe(H(inv) + 1);
      expect(trainable(at(layers + 1, labels)) - trainable(p)).toBe(H(inv) * H(inv) + H(inv));
    },
  );
  test.prop([bare, fc.integer({ min: 1, max: 4 })], RUNS)("causal_lm: the output embeddings never train; their bias (vocab) is added frozen", (inv, layers) => {
    const p = headParams(inv, { type: "causal_lm", layers });
    const tied = inv.config?.["tie_word_embeddings"] !== false;
    expect(p.frozenAdded).toBe(inv.dims.vocabSize + (tied ? 0 : inv.dims.vocabSize * H(inv)));
    expect(trainable(p)).toBe((layers - 1) * (H(inv) * H(inv) + 3 * H(inv)));
  });
});
