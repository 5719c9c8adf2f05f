/**
 * `count --adapter DIR` with DIR holding adapter_model.safetensors (issue 9): the saved tensors, read from the
 * header, against the config's count. LoRA r=8 on q_proj, v_proj of Llama-3.2-1B saves, per layer,
 * q: lora_A [8, 2048] + lora_B [2048, 8], v: lora_A [8, 2048] + lora_B [512, 8]: 16 × 53,248 = 851,968.
 */
import { describe, expect, test, vi } from "vitest";
import { runCli } from "../fake-io.js";
import { safetensorsHeader, type T } from "./st-helpers.js";

vi.setConfig({ testTimeout: 30_000 });

const CONFIG = JSON.stringify({ peft_type: "LORA", task_type: "CAUSAL_LM", r: 8, lora_alpha: 16, target_modules: ["q_proj", "v_proj"], base_model_name_or_path: "meta-llama/Llama-3.2-1B" });

function saved(inQ = 2048): T[] {
  const out: T[] = [];
  for (let i = 0; i < 16; i++) {
    const p = `base_model.model.model.layers.${i}.self_attn`;
    out.push({ name: `${p}.q_proj.lora_A.weight`, shape: [8, inQ] }, { name: `${p}.q_proj.lora_B.weight`, shape: [2048, 8] }, { name: `${p}.v_proj.lora_A.weight`, shape: [8, 2048] }, { name: `${p}.v_proj.lora_B.weight`, shape: [512, 8] });
  }
  return out;
}
const run = (tensors: T[]) => runCli(["count", "--adapter", "run1", "--json"], { files: { "run1/adapter_config.json": CONFIG, "run1/adapter_model.safetensors": safetensorsHeader(tensors).bytes } });

describe("adapter_model.safetensors beside the config", () => {
  test("the saved tensors match the config's count", async () => {
    const r = await run(saved());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows[0].trainableParams).toBe(851_968);
    expect(r.stderr).toBe("note: run1/adapter_model.safetensors holds 851,968 parameters in 64 tensors, as the config implies\n");
  });

  test("module widths that are not the base model's: a different base model", async () => {
    const r = await run(saved(4096)); // + 16 × 8·(4096 − 2048) = 262,144
    expect(r.stderr).toBe("warning: run1/adapter_model.safetensors holds 1,114,112 parameters in 64 tensors; the config implies 851,968: a different base model: model.layers.0.self_attn.q_proj takes 4096 inputs in the file, 2048 in LlamaForCausalLM\n");
  });

  test("a saved copy of a whole module: modules_to_save", async () => {
    const r = await run([...saved(), { name: "base_model.model.lm_head.weight", shape: [128256, 2048] }]);
    expect(r.stderr).toMatch(/; the config implies 851,968: modules_to_save or saved embedding copies that the config does not account for\n$/);
  });

  test("a corrupt adapter_model.safetensors is named", async () => {
    const r = await runCli(["count", "--adapter", "run1"], { files: { "run1/adapter_config.json": CONFIG, "run1/adapter_model.safetensors": new Uint8Array([255, 255, 255, 255, 255, 0, 0, 0]) } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: \/proj\/run1\/adapter_model\.safetensors: safetensors header length \d+ is past the format's limit/);
  });
});
