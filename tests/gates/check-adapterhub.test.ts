/**
 * check on AdapterHub adapters (a saved AdapterHub adapter_config.json, a config string, an `adapters:` id): the
 * limits on trainable parameters and percentages hold against AdapterHub's own count (the same number `count`
 * prints); the PEFT-only limits (file size, unmatched target_modules) are refused, not ignored.
 */
import { describe, expect, test } from "vitest";
import { runCli } from "../cli/fake-io.js";

const count = async (argv: string[]) => {
  const r = await runCli(["count", ...argv, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { rows: { trainableParams: number }[] }).rows[0]!.trainableParams;
};

describe("check on AdapterHub adapters", { timeout: 60_000 }, () => {
  test("a config string: passes at its own count, fails one parameter below (exit 1, by how much)", async () => {
    const n = await count(["--model", "bert-base-uncased", "--method", "houlsby"]);
    // double_seq_bn, reduction_factor 16: 12 layers × 2 × (2·768·48 + 48 + 768), + the SEQ_CLS head train_adapter leaves trainable (768·2 + 2)
    expect(n).toBe(1_789_056 + 1_538);
    const pass = await runCli(["check", "--model", "bert-base-uncased", "--method", "houlsby", "--max-trainable", String(n)]);
    expect(pass.code, pass.stderr).toBe(0);
    const fail = await runCli(["check", "--model", "bert-base-uncased", "--method", "houlsby", "--max-trainable", String(n - 1), "--json"]);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/check failed: trainable 1,790,594 > 1,790,593 \(over by 1\)/);
    expect((JSON.parse(fail.stdout) as { check: { pass: boolean } }).check.pass).toBe(false);
  });

  test("a saved AdapterHub adapter_config.json with --max-percent-of-full", async () => {
    const adapter = JSON.stringify({ config: { architecture: "lora", r: 8, alpha: 16, attn_matrices: ["q", "v"], selfattn_lora: true, intermediate_lora: false, output_lora: false }, name: "lora", model_type: "roberta", version: "adapters.1.2.0" });
    const files = { "adapter_config.json": adapter };
    const r = await runCli(["check", "--model", "roberta-base", "--adapter", "adapter_config.json", "--max-percent-of-full", "1"], { files });
    expect(r.code, r.stderr).toBe(0);
    const tight = await runCli(["check", "--model", "roberta-base", "--adapter", "adapter_config.json", "--max-percent-of-full", "0.1"], { files });
    expect(tight.code).toBe(1);
  });

  test("--max-adapter-size and --fail-on-unmatched-targets are PEFT's: refused with exit 2", async () => {
    const r = await runCli(["check", "--model", "bert-base-uncased", "--method", "houlsby", "--max-adapter-size", "10MB"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-adapter-size applies to PEFT adapters/);
  });
});

test("--adapter with an AdapterHub --method spec is a conflict (exit 2), not a silent choice", async () => {
  const r = await runCli(["check", "--model", "bert-base-uncased", "--method", "houlsby", "--adapter", "a.json", "--max-trainable", "2M"], { files: { "a.json": "{}" } });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--adapter and --method cannot be combined/);
});
