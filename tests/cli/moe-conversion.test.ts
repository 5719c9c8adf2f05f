/**
 * peft ≥ 0.19's silent MoE conversion on transformers 5, end to end through the CLI: the counts PEFT prints and
 * the warning that says, in plain words, what PEFT did to the config (names moved to target_parameters, the
 * gate/up pair fused at rank 2·r, which Linear modules silently lost their adapter).
 * Numbers: oracle (peft 0.21.0 + transformers 5.18.0), `oracle count --model <preset config> --adapter <below>`:
 * deepseek-v2-lite + LoRA r=8 [gate_proj, up_proj, down_proj] → trainable 175,505,408 (experts only);
 * qwen3-30b-a3b + LoRA r=8 [q_proj, v_proj, gate_proj, up_proj, down_proj] → trainable 494,075,904.
 */
import { describe, expect, test } from "vitest";
import { runCli } from "./fake-io.js";

const T = 60_000;
const adapter = (targets: string[], r = 8) => JSON.stringify({ peft_type: "LORA", r, lora_alpha: r, target_modules: targets, task_type: "CAUSAL_LM" });

async function count(model: string, targets: string[], extra: string[] = []) {
  const r = await runCli(["count", "--model", model, "--adapter", "a.json", "--json", ...extra], { files: { "a.json": adapter(targets) } });
  return { ...r, json: r.code === 0 ? JSON.parse(r.stdout) : undefined };
}

describe("the silent MoE conversion, warned", () => {
  test("deepseek-v2-lite: dense-layer MLP and shared experts lose their LoRA; gate/up fused at rank 2r", async () => {
    const r = await count("deepseek-v2-lite", ["gate_proj", "up_proj", "down_proj"]);
    expect(r.code).toBe(0);
    expect(r.json.rows[0].trainableParams).toBe(175_505_408);
    expect(r.stderr).toContain("rewrites gate_proj, up_proj, down_proj into target_parameters down_proj, gate_up_proj");
    expect(r.stderr).toContain("gate_proj and up_proj become one fused gate_up_proj adapter at rank 16 (2·r)");
    expect(r.stderr).toContain("lose their adapter: model.layers.*.mlp.gate_proj (×1)");
    expect(r.stderr).toContain("model.layers.*.mlp.shared_experts.down_proj (×26)");
    expect(r.json.rows[0].warnings.join(" ")).toContain("lose their adapter");
  }, T);

  test("qwen3-30b-a3b: attention keeps its LoRA, the experts get target_parameters", async () => {
    const r = await count("qwen3-30b-a3b", ["q_proj", "v_proj", "gate_proj", "up_proj", "down_proj"]);
    expect(r.code).toBe(0);
    expect(r.json.rows[0].trainableParams).toBe(494_075_904);
    expect(r.stderr).toContain("rank 16 (2·r)");
    // no dense layer, no shared expert: nothing else loses its adapter
    expect(r.stderr).not.toContain("lose their adapter");
  }, T);

  test("one half of the fused pair alone is PEFT's ValueError", async () => {
    const r = await count("qwen3-30b-a3b", ["gate_proj", "down_proj"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("without also targeting up_proj");
  }, T);

  test("no conversion: transformers 4 names on the transformers-4 layout, and qwen2_moe itself", async () => {
    const old = await count("qwen3-30b-a3b", ["gate_proj", "up_proj", "down_proj"], ["--transformers-version", "4.57.0"]);
    expect(old.code).toBe(0);
    expect(old.stderr).not.toContain("rewrites");
    const qwen2 = await count("qwen1.5-moe-a2.7b", ["gate_proj", "up_proj", "down_proj"]);
    expect(qwen2.code).toBe(0);
    expect(qwen2.stderr).not.toContain("rewrites");
  }, T);
});

describe("activeTrainableParams is always an integer", () => {
  test("LoRA on one of three experts (2 per token): the expected share, rounded to a whole parameter", async () => {
    const cfg = { model_type: "mixtral", hidden_size: 4, intermediate_size: 6, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1, vocab_size: 16, num_local_experts: 3, num_experts_per_tok: 2 };
    const r = await runCli(["count", "--model", "c.json", "--expert-layout", "per-expert", "--method", "lora r=1 target_modules=experts.0.w1", "--json"], { files: { "c.json": JSON.stringify(cfg) } });
    expect(r.code).toBe(0);
    const row = JSON.parse(r.stdout).rows[0];
    expect(row.trainableParams).toBe(10); // r · (4 + 6)
    expect(row.activeTrainableParams).toBe(7); // 10 · 2 / 3 = 6.67
    expect(Number.isInteger(row.activeTrainableParams)).toBe(true);
  }, T);
});
