/**
 * `memory --compat deepspeed` prints DeepSpeed's ZeRO estimator tables digit for digit. Reference: DeepSpeed's
 * "Memory Requirements" docs (deepspeed.readthedocs.io/en/latest/memory.html), bigscience/T0_3B on 1 node × 8
 * GPUs (2,851,598,336 parameters, largest layer the 32,128 × 1,024 shared embedding); formulas from
 * deepspeed/runtime/zero/stage_1_and_2.py and stage3.py (`estimate_zero{2,3}_model_states_mem_needs`).
 */
import { describe, expect, test } from "vitest";
import { pyGiB } from "../../src/memory/deepspeed.js";
import { expectError, runCli } from "../cli/fake-io.js";

// bigscience/T0_3B config.json
const T0 = JSON.stringify({ architectures: ["T5ForConditionalGeneration"], d_ff: 16384, d_kv: 128, d_model: 1024, decoder_start_token_id: 0, dropout_rate: 0.1, eos_token_id: 1, feed_forward_proj: "relu", initializer_factor: 1.0, is_encoder_decoder: true, layer_norm_epsilon: 1e-6, model_type: "t5", num_decoder_layers: 24, num_heads: 32, num_layers: 24, output_past: true, pad_token_id: 0, relative_attention_num_buckets: 32, vocab_size: 32128 });
const run = (...args: string[]) => runCli(["memory", "--model", "t0/config.json", "--compat", "deepspeed", ...args], { files: { "t0/config.json": T0 } });

describe("DeepSpeed's documented tables for T0_3B, 1 node × 8 GPUs", { timeout: 30_000 }, () => {
  test("ZeRO-3", async () => {
    const r = await run("--zero", "3", "--gpus", "8");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "Estimated memory needed for params, optim states and gradients for a:",
        "HW: Setup with 1 node, 8 GPUs per node.",
        "SW: Model with 2851M total params, 32M largest layer params.",
        "  per CPU  |  per GPU |   Options",
        "   71.71GB |   0.12GB | offload_param=cpu , offload_optimizer=cpu , zero_init=1",
        "  127.48GB |   0.12GB | offload_param=cpu , offload_optimizer=cpu , zero_init=0",
        "   63.74GB |   0.79GB | offload_param=none, offload_optimizer=cpu , zero_init=1",
        "  127.48GB |   0.79GB | offload_param=none, offload_optimizer=cpu , zero_init=0",
        "    1.47GB |   6.10GB | offload_param=none, offload_optimizer=none, zero_init=1",
        "  127.48GB |   6.10GB | offload_param=none, offload_optimizer=none, zero_init=0",
        "",
      ].join("\n"),
    );
  });
  test("ZeRO-2", async () => {
    const r = await run("--zero", "2", "--gpus", "8");
    expect(r.stdout).toBe(
      [
        "Estimated memory needed for params, optim states and gradients for a:",
        "HW: Setup with 1 node, 8 GPUs per node.",
        "SW: Model with 2851M total params.",
        "  per CPU  |  per GPU |   Options",
        "  127.48GB |   5.31GB | cpu_offload=1",
        "  127.48GB |  15.93GB | cpu_offload=0",
        "",
      ].join("\n"),
    );
  });
  test("JSON carries the exact bytes: 2,851,598,336 × 18 × 1.5 on CPU with both offloads", async () => {
    const r = await run("--zero", "3", "--json");
    const j = JSON.parse(r.stdout) as { totalParams: number; largestLayerParams: number; rows: { cpuBytes: number; gpuBytes: number }[] };
    expect(j.totalParams).toBe(2_851_598_336);
    expect(j.largestLayerParams).toBe(32_899_072);
    expect(j.rows[0]).toMatchObject({ cpuBytes: 2_851_598_336 * 27, gpuBytes: 32_899_072 * 4 });
  });
  test("needs --zero 2 or 3", async () => {
    expectError(await run(), 2, "--compat deepspeed needs --zero 2 or --zero 3");
  });
});

test("Python's .2f of bytes / 2**30 rounds an exact tie to even", () => {
  // 2**27 bytes = 0.125 GiB exactly: Python prints 0.12
  expect(pyGiB(2 ** 27, 6)).toBe("  0.12");
  expect(pyGiB(3 * 2 ** 27, 6)).toBe("  0.38");
});
