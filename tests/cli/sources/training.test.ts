/**
 * Training configs (issue 9): `count --axolotl` / `count --llama-factory` read the LoRA settings those tools
 * hand to PEFT. The YAML files are the tools' own examples, verbatim in what matters:
 * - axolotl examples/llama-3/lora-1b.yml and examples/llama-3/qlora.yml (axolotl-ai-cloud/axolotl, main)
 * - LLaMA-Factory examples/train_lora/llama3_lora_sft.yaml (hiyouga/LLaMA-Factory, main)
 * Their base models are Hub ids; with HF_HUB_OFFLINE=1 and an empty cache they resolve to the preset of the
 * same architecture (a note says so). Counts, LoRA r·(in+out) per targeted Linear:
 * - Llama-3.2-1B (16 layers; hidden 2048, k/v 512, MLP 8192), r=16 on all seven projections:
 *   16 × 16·(2·4096 + 2·2560 + 3·10240) = 11,272,192
 * - Llama-3-8B (32 layers; hidden 4096, k/v 1024, MLP 14336), all-linear: per unit rank
 *   32 × (2·8192 + 2·5120 + 3·18432) = 2,621,440 → r=32: 83,886,080; r=8: 20,971,520
 */
import { describe, expect, test, vi } from "vitest";
import { expectError, runCli } from "../fake-io.js";

vi.setConfig({ testTimeout: 30_000 });

const AXOLOTL_LORA_1B = `base_model: NousResearch/Llama-3.2-1B

load_in_8bit: false
load_in_4bit: false
strict: false

datasets:
  - path: teknium/GPT4-LLM-Cleaned
    type: alpaca
dataset_prepared_path: last_run_prepared
val_set_size: 0.1
output_dir: ./outputs/lora-out

adapter: lora
lora_model_dir:

sequence_len: 2048
sample_packing: true

lora_r: 16
lora_alpha: 32
lora_dropout: 0.05
lora_fan_in_fan_out:
lora_target_modules:
  - gate_proj
  - down_proj
  - up_proj
  - q_proj
  - v_proj
  - k_proj
  - o_proj

gradient_accumulation_steps: 2
micro_batch_size: 2
num_epochs: 1
optimizer: adamw_8bit
learning_rate: 0.0002
bf16: auto
special_tokens:
  pad_token: "<|end_of_text|>"
`;

const AXOLOTL_QLORA_8B = `base_model: NousResearch/Meta-Llama-3-8B
model_type: AutoModelForCausalLM
tokenizer_type: AutoTokenizer

load_in_8bit: false
load_in_4bit: true
strict: false

adapter: qlora
lora_model_dir:

sequence_len: 4096
sample_packing: true
pad_to_sequence_len: true

lora_r: 32
lora_alpha: 16
lora_dropout: 0.05
lora_target_modules:
lora_target_linear: true
lora_fan_in_fan_out:
`;

const LLAMA_FACTORY_SFT = `### model
model_name_or_path: meta-llama/Meta-Llama-3-8B-Instruct
trust_remote_code: true

### method
stage: sft
do_train: true
finetuning_type: lora
lora_rank: 8
lora_target: all

### dataset
dataset: identity,alpaca_en_demo
template: llama3
cutoff_len: 2048

### train
per_device_train_batch_size: 1
learning_rate: 1.0e-4
bf16: true
`;

const OFFLINE = { HF_HUB_OFFLINE: "1" };
const note = (id: string, preset: string) =>
  `note: ${id} is counted as the preset ${preset} (same architecture): config.json is not in the Hugging Face cache (/home/user/.cache/huggingface/hub) and HF_HUB_OFFLINE is set\n`;

async function count(flag: string, yaml: string, extra: string[] = []) {
  return runCli(["count", flag, "train.yml", "--json", ...extra], { files: { "train.yml": yaml }, env: OFFLINE });
}
async function fails(flag: string, yaml: string) {
  return runCli(["count", flag, "train.yml"], { files: { "train.yml": yaml }, env: OFFLINE });
}
const row = (stdout: string) => JSON.parse(stdout).rows[0];

describe("axolotl", () => {
  test("examples/llama-3/lora-1b.yml: r=16 on seven projections of Llama-3.2-1B", async () => {
    const r = await count("--axolotl", AXOLOTL_LORA_1B);
    expect(r.stderr).toBe(note("NousResearch/Llama-3.2-1B", "llama-3.2-1b"));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).model.id).toBe("llama-3.2-1b");
    expect(row(r.stdout)).toMatchObject({ method: "lora", trainableParams: 11_272_192 });
    expect(row(r.stdout).options).toMatchObject({ r: 16, lora_alpha: 32, lora_dropout: 0.05 });
  });

  test("examples/llama-3/qlora.yml: lora_target_linear is all-linear, r=32 on Llama-3-8B", async () => {
    const r = await count("--axolotl", AXOLOTL_QLORA_8B);
    expect(r.code).toBe(0);
    expect(row(r.stdout)).toMatchObject({ trainableParams: 83_886_080 });
    expect(row(r.stdout).options).toMatchObject({ target_modules: "all-linear" });
  });

  test("lora_modules_to_save and peft_use_dora reach PEFT's keys; --model overrides base_model", async () => {
    const yaml = `${AXOLOTL_LORA_1B}lora_modules_to_save:\n  - lm_head\npeft_use_dora: true\n`;
    const plain = row((await count("--axolotl", AXOLOTL_LORA_1B, ["--model", "llama-3.2-1b"])).stdout).trainableParams;
    const r = await count("--axolotl", yaml, ["--model", "llama-3.2-1b"]);
    expect(r.stderr).toBe("");
    // + lm_head copy (128256·2048, tied to the embedding in Llama-3.2-1B: saved as a copy) + DoRA magnitudes (out per Linear)
    expect(row(r.stdout).options).toMatchObject({ modules_to_save: ["lm_head"], use_dora: true });
    expect(row(r.stdout).trainableParams).toBeGreaterThan(plain + 128_256 * 2048);
  });

  test("a typo in a lora_ key is named, with the key it was meant to be", async () => {
    const r = await count("--axolotl", AXOLOTL_LORA_1B.replace("lora_r: 16", "lora_rr: 16"));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: train.yml: unknown key "lora_rr" is ignored; did you mean "lora_r"? the count uses the defaults for what it was meant to set\n');
    expect(row(r.stdout).options.r).toBe(8);
  });

  test("keys that change what is trained but cannot be counted from the config are warned about", async () => {
    const r = await count("--axolotl", `${AXOLOTL_LORA_1B}unfrozen_parameters:\n  - ^lm_head.weight$\n`);
    expect(r.stderr).toContain('warning: train.yml: "unfrozen_parameters" unfreezes base parameters by pattern (trainable beyond the adapter); the count does not include it\n');
  });

  test("bad values name the key; a config without an adapter is full fine-tuning", async () => {
    expectError(await fails("--axolotl", AXOLOTL_LORA_1B.replace("lora_r: 16", 'lora_r: "sixteen"')), 1, 'train.yml: lora_r must be a positive integer (got "sixteen")', 'fix "lora_r" in train.yml');
    expectError(await fails("--axolotl", AXOLOTL_LORA_1B.replace("adapter: lora", "")), 1, "train.yml: adapter is null; peftcount reads axolotl's lora and qlora adapters", /without it axolotl fine-tunes every parameter/);
    expectError(await fails("--axolotl", AXOLOTL_LORA_1B.replace("lora_target_modules:\n", "lora_target_modules: 7\n").replace(/  - \w+_proj\n/g, "")), 1, "train.yml: lora_target_modules must be a list of module names (got 7)");
  });

  test("invalid YAML: line and column", async () => {
    const r = await fails("--axolotl", "base_model: x/y\nadapter: [lora\n");
    expectError(r, 1, /^error: train\.yml is not valid YAML at line \d+, column \d+: /, "fix the YAML syntax of train.yml");
  });
});

describe("LLaMA-Factory", () => {
  test("examples/train_lora/llama3_lora_sft.yaml: lora_rank 8, lora_target all on Llama-3-8B-Instruct", async () => {
    const r = await count("--llama-factory", LLAMA_FACTORY_SFT);
    expect(r.stderr).toBe(note("meta-llama/Meta-Llama-3-8B-Instruct", "llama-3-8b"));
    expect(row(r.stdout)).toMatchObject({ trainableParams: 20_971_520 });
    expect(row(r.stdout).options).toMatchObject({ r: 8, lora_alpha: 16, target_modules: "all-linear" });
  });

  test("a comma-separated lora_target and additional_target (modules_to_save)", async () => {
    const r = await count("--llama-factory", LLAMA_FACTORY_SFT.replace("lora_target: all", "lora_target: q_proj,v_proj\nadditional_target: embed_tokens"));
    expect(row(r.stdout).options).toMatchObject({ target_modules: ["q_proj", "v_proj"], modules_to_save: ["embed_tokens"] });
    // q,v at r=8: 32 × 8·(8192 + 5120) = 3,407,872, + the embedding copy 128256·4096 = 525,336,576
    expect(row(r.stdout).trainableParams).toBe(3_407_872 + 525_336_576);
  });

  test("finetuning_type full is refused by key; a reward stage warns about its value head; a typo is named", async () => {
    expectError(await fails("--llama-factory", LLAMA_FACTORY_SFT.replace("finetuning_type: lora", "finetuning_type: full")), 1, 'train.yml: finetuning_type is "full"; peftcount reads LLaMA-Factory\'s lora fine-tuning');
    const rm = await count("--llama-factory", LLAMA_FACTORY_SFT.replace("stage: sft", "stage: rm").replace("lora_rank: 8", "lora_rnak: 8"));
    expect(rm.stderr).toContain('warning: train.yml: unknown key "lora_rnak" is ignored; did you mean "lora_rank"?');
    expect(rm.stderr).toContain("warning: train.yml: stage rm adds a value head (hidden_size + 1 parameters, trainable); the count does not include it\n");
  });

  test("--llama-factory with --adapter is a usage error", async () => {
    const r = await runCli(["count", "--llama-factory", "train.yml", "--adapter", "a.json"], { files: { "train.yml": LLAMA_FACTORY_SFT }, env: OFFLINE });
    expectError(r, 2, "--llama-factory and --adapter cannot be combined");
  });
});
