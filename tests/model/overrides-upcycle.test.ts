/**
 * --set (config overrides) and --upcycle (dense → MoE), in the library and through the CLI.
 * Upcycled counts by hand: Llama-3-8B's FFN is 3 · 4096 · 14336 = 176,160,768 per layer; 16 experts + 1 shared
 * expert of full width and a router Linear(4096 → 16) per layer add 16 copies and the routers.
 */
import { describe, expect, test } from "vitest";
import { UsageError } from "../../src/errors.js";
import { activeParams } from "../../src/model/active.js";
import { buildInventory } from "../../src/model/inventory.js";
import { applyOverrides, parseSet } from "../../src/model/overrides.js";
import { parseUpcycle, upcycle } from "../../src/model/upcycle.js";
import { totalParams } from "../../src/model/types.js";
import { layerKinds } from "../../src/report/inspect-layers.js";
import { runCli } from "../cli/fake-io.js";

const ffn = 3 * 64 * 96; // gate, up, down of the dense model below
const dense = { model_type: "qwen3_moe", hidden_size: 64, intermediate_size: 96, num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, vocab_size: 128, num_experts: 0 };

describe("--set", () => {
  test("JSON values, typed like the config's; strings stay strings", () => {
    expect(parseSet("num_local_experts=16")).toMatchObject({ key: "num_local_experts", value: 16 });
    expect(parseSet("rope_scaling=null").value).toBeNull();
    expect(parseSet("mlp_only_layers=[0, 2]").value).toEqual([0, 2]);
    expect(parseSet("hidden_act=gelu").value).toBe("gelu");
    expect(() => parseSet("novalue")).toThrow(UsageError);
    expect(() => applyOverrides({ num_hidden_layers: 4 }, ["num_hidden_layers=four"])).toThrow(/is a number in this config/);
    expect(applyOverrides({ hidden_act: "silu" }, ["hidden_act=1"]).config["hidden_act"]).toBe("1");
  });

  test("unknown keys warn with the nearest; text_config keys and dotted paths reach nested configs", () => {
    const o = applyOverrides({ model_type: "llama4", hidden_size: 5120, text_config: { num_local_experts: 16 } }, ["num_local_experts=8", "text_config.num_experts_per_tok=2", "hiden_size=3"]);
    expect(o.config["text_config"]).toEqual({ num_local_experts: 8, num_experts_per_tok: 2 });
    expect(o.warnings).toHaveLength(2);
    expect(o.warnings[1]).toContain('did you mean "hidden_size"');
    expect(o.note).toBe("config overridden on the command line: --set text_config.num_local_experts=8 --set text_config.num_experts_per_tok=2 --set hiden_size=3");
  });

  test("the overridden config is validated like the file (experts per token ≤ experts)", () => {
    const cfg = applyOverrides({ model_type: "mixtral", num_local_experts: 8, num_experts_per_tok: 2 }, ["num_local_experts=1"]).config;
    expect(() => buildInventory(cfg)).toThrow(/num_experts_per_tok/);
  });
});

describe("--upcycle", () => {
  test("spec parsing", () => {
    expect(parseUpcycle("experts=8,top_k=2")).toEqual({ experts: 8, topK: 2, shared: 0, granularity: 1 });
    expect(parseUpcycle("experts=64, top_k=8, shared=1, granularity=4")).toEqual({ experts: 64, topK: 8, shared: 1, granularity: 4 });
    expect(() => parseUpcycle("experts=2,top_k=4")).toThrow(/more than experts/);
    expect(() => parseUpcycle("experts=8")).toThrow(/needs experts=E and top_k=K/);
    expect(() => parseUpcycle("experts=8,topk=2")).toThrow(/unknown key "topk"/);
  });

  test.each([
    ["per-expert", false],
    ["fused", true],
  ] as const)("dense FFNs become E experts + router (+ shared), %s; active = dense + k experts", (_n, fused) => {
    const inv = buildInventory(dense);
    const base = totalParams(inv.modules);
    const up = upcycle(inv, { experts: 4, topK: 2, shared: 1, granularity: 2 }, fused);
    // 4 experts of half width + 1 shared of half width replace one full FFN; router 64 → 4 per layer
    expect(totalParams(up.modules)).toBe(base + 3 * (4 * (ffn / 2) + ffn / 2 - ffn + 64 * 4));
    expect(activeParams(up)).toBe(base + 3 * (2 * (ffn / 2) + ffn / 2 - ffn + 64 * 4));
    const k = layerKinds(up)!;
    expect(k.outside).toBe(0);
    expect(k.kinds.map((r) => [r.kind, r.layers, r.routed, r.shared, r.router])).toEqual([["attention + MoE + shared", 3, 3 * 4 * (ffn / 2), 3 * (ffn / 2), 3 * 64 * 4]]);
    expect(up.modules.some((m) => m.name === (fused ? "model.layers.0.mlp.experts" : "model.layers.0.mlp.experts.3.down_proj"))).toBe(true);
  });

  test("refusals: already MoE, widths that do not split", () => {
    expect(() => upcycle(buildInventory({ ...dense, num_experts: 4, num_experts_per_tok: 2, moe_intermediate_size: 32 }), parseUpcycle("experts=4,top_k=1"), true)).toThrow(/already a mixture of experts/);
    expect(() => upcycle(buildInventory(dense), parseUpcycle("experts=4,top_k=1,granularity=7"), true)).toThrow(/does not split/);
  });
});

describe("CLI", () => {
  test("--set is shown in the output and validated", async () => {
    const r = await runCli(["count", "--model", "mixtral-8x7b", "--set", "num_local_experts=16", "--set", "num_experts_per_tok=4", "--method", "lora target_modules=all-linear", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.model.notes[0]).toBe("config overridden on the command line: --set num_local_experts=16 --set num_experts_per_tok=4");
    // 8 more experts of 3 · 4096 · 14336 in 32 layers, routers 8 rows wider
    expect(j.model.baseParams).toBe(46_702_792_704 + 32 * 8 * 3 * 4096 * 14336 + 32 * 8 * 4096);
    const bad = await runCli(["count", "--model", "mixtral-8x7b", "--set", "num_local_experts=two"]);
    expect(bad.code).toBe(2);
  }, 60_000);

  test("--upcycle on a dense model through the CLI (qwen3_moe config without experts)", async () => {
    const r = await runCli(["count", "--model", "cfg.json", "--upcycle", "experts=4,top_k=2", "--method", "lora target_modules=all-linear", "--json"], { files: { "cfg.json": JSON.stringify(dense) } });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const base = totalParams(buildInventory(dense).modules);
    expect(j.model.baseParams).toBe(base + 3 * (3 * ffn + 64 * 4));
    expect(j.model.activeParams).toBe(base + 3 * (ffn + 64 * 4));
  }, 60_000);
});
