/**
 * Properties of the model transforms on random small models (tests/model/arbitraries.ts): pruning nothing is the
 * identity, pruning never grows the model and keeps the anatomy consistent; PELA's factorisation never grows a
 * layer; sharing K = L blocks is the identity and fewer blocks never add parameters; hashing never exceeds the
 * original; counts stay exact safe integers.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { buildInventory } from "../../../src/model/inventory.js";
import { applyTransforms } from "../../../src/model/transforms/index.js";
import { pelaRank } from "../../../src/model/transforms/factorize.js";
import { totalParams, type Inventory } from "../../../src/model/types.js";
import { anyConfig, llamaLikeConfig } from "../arbitraries.js";
import { anatomyProblems } from "../anatomy-check.js";

const RUNS = { numRuns: 60 };
const inv = anyConfig.map((cfg) => buildInventory(cfg));
const total = (i: Inventory) => totalParams(i.modules);
const fraction = fc.integer({ min: 0, max: 99 }).map((n) => `0.${String(n).padStart(2, "0")}`);
const depth = (i: Inventory) => Math.min(...(i.anatomy?.stacks ?? []).map((s) => s.layers.length));

describe("prune", () => {
  test.prop([inv], RUNS)("pruning 0 heads and 0 channels is the identity", (i) => {
    const out = applyTransforms(i, ["prune heads=0 ffn=0"]);
    expect(out.modules).toEqual(i.modules);
    expect(out.anatomy).toEqual(i.anatomy);
  });

  test.prop([fc.oneof(llamaLikeConfig("llama"), llamaLikeConfig("qwen2")).map((c) => buildInventory(c)), fraction, fraction, fc.constantFrom("groups", "queries")], RUNS)(
    "fractions never grow the model, keep the anatomy consistent, and keep exact integers",
    (i, h, f, gqa) => {
      let out: Inventory;
      try {
        out = applyTransforms(i, [`prune heads=${h} ffn=${f} gqa=${gqa}`]);
      } catch (e) {
        expect((e as Error).message).toMatch(/would remove/);
        return;
      }
      expect(Number.isSafeInteger(total(out))).toBe(true);
      expect(total(out)).toBeLessThanOrEqual(total(i));
      expect(anatomyProblems(out)).toEqual([]);
    },
  );
});

describe("factorize", () => {
  test.prop([fc.integer({ min: 1, max: 1 << 16 }), fc.integer({ min: 1, max: 1 << 16 }), fc.integer({ min: 100, max: 1000 })], { numRuns: 200 })(
    "a factorised layer never holds more than the original: r·(m+n) ≤ m·n for c ≥ 1",
    (m, n, c100) => {
      const r = pelaRank(m, n, { p: c100, q: 100 });
      expect(r * (m + n)).toBeLessThanOrEqual(m * n);
      expect(r).toBeGreaterThanOrEqual(0);
    },
  );

  // a head tied to the embeddings is the exception (it gets factors of its own, the embedding keeps its matrix): omitted here
  test.prop([inv, fc.integer({ min: 1, max: 5 })], RUNS)("a factorised model (tied head omitted) never grows", (i, c) => {
    try {
      expect(total(applyTransforms(i, [`factorize c=${c} omit=lm_head`]))).toBeLessThanOrEqual(total(i));
    } catch (e) {
      expect((e as Error).message).toMatch(/no nn.Linear layer to factorise/);
    }
  });
});

describe("share", () => {
  test.prop([inv], RUNS)("K = L is the identity", (i) => {
    fc.pre(new Set(i.anatomy!.stacks.map((s) => s.layers.length)).size === 1);
    expect(applyTransforms(i, [`share K=${depth(i)}`]).modules).toEqual(i.modules);
  });

  test.prop([inv, fc.integer({ min: 1, max: 8 }), fc.constantFrom("block", "cycle"), fc.constantFrom("shared", "per-use")], RUNS)("fewer blocks never add parameters; the count is monotone in K", (i, k, order, norms) => {
    fc.pre(k <= depth(i));
    const t = (K: number) => total(applyTransforms(i, [`share K=${K} order=${order} norms=${norms}`]));
    expect(t(k)).toBeLessThanOrEqual(total(i));
    if (k > 1) expect(t(k - 1)).toBeLessThanOrEqual(t(k));
  });
});

describe("hash", () => {
  test.prop([inv, fc.integer({ min: 1, max: 100 }), fc.constantFrom("global", "per-module"), fc.constantFrom("layers", "all-linear", "all")], RUNS)("hashing never exceeds the original", (i, c, scope, modules) => {
    const spec = `hash c=${c === 100 ? "1" : `0.${String(c).padStart(2, "0")}`} scope=${scope} modules=${modules}`;
    let out: Inventory;
    try {
      out = applyTransforms(i, [spec]);
    } catch (e) {
      expect((e as Error).message).toMatch(/no weight matches/);
      return;
    }
    expect(total(out)).toBeLessThanOrEqual(total(i));
    expect(Number.isSafeInteger(total(out))).toBe(true);
  });
});

describe("a pruned model is the model of those shapes", () => {
  test.prop([llamaLikeConfig("llama"), fraction, fraction], RUNS)("uniform pruning = the family built from a config with the pruned head counts and width (same modules, same LoRA count)", (cfg, h, f) => {
    const i = buildInventory(cfg);
    let out: Inventory;
    try {
      out = applyTransforms(i, [`prune heads=${h} ffn=${f}`]);
    } catch (e) {
      expect((e as Error).message).toMatch(/would remove/);
      return;
    }
    const a = out.anatomy!.stacks[0]!.layers[0]!;
    const headDim = (cfg["hidden_size"] as number) / (cfg["num_attention_heads"] as number);
    const real = buildInventory({ ...cfg, num_attention_heads: a.selfAttention!.heads, num_key_value_heads: a.selfAttention!.kvHeads, head_dim: headDim, intermediate_size: a.ffn!.intermediateSize });
    expect(out.modules.map((m) => [m.name, m.params])).toEqual(real.modules.map((m) => [m.name, m.params]));
  });
});
