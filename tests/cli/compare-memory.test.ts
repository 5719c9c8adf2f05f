/**
 * compare --memory: each PEFT row gains the model-state bytes per GPU that `peftcount memory` computes with the
 * same setup flags (so the two commands agree to the byte), in every format; setup flags without --memory are
 * refused, never ignored.
 */
import { describe, expect, test } from "vitest";
import { runCli } from "./fake-io.js";

const json = async (argv: string[]) => {
  const r = await runCli(argv);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { rows: { method: string; options: Record<string, unknown>; memory?: { perGpuBytes: number; fits: boolean | null }; perGpu?: { total: number } }[]; memorySetup?: string };
};

describe("compare --memory", { timeout: 60_000 }, () => {
  test("agrees with peftcount memory, row for row, to the byte (QLoRA setup on llama-3.2-1b)", async () => {
    const setup = ["--model", "llama-3.2-1b", "--methods", "lora,dora,ia3", "--dtype", "bf16", "--gpu-memory", "24GiB"];
    const compare = await json(["compare", ...setup, "--memory", "--json"]);
    const memory = await json(["memory", ...setup, "--json"]);
    expect(compare.memorySetup).toMatch(/bf16 weights/);
    const byMethod = new Map(memory.rows.map((r) => [r.method, r.perGpu!.total]));
    for (const r of compare.rows) {
      expect(r.memory, r.method).toBeDefined();
      expect(r.memory!.perGpuBytes).toBe(byMethod.get(r.method));
    }
    const full = compare.rows.find((r) => r.method === "full")!;
    // full fine-tuning in bf16 with torch AdamW: bf16 weights + bf16 gradients + two bf16 Adam states (torch keeps them in the parameter's dtype)
    expect(full.memory!.perGpuBytes).toBe(1_235_814_400 * (2 + 2 + 2 * 2));
  });

  test("the table gains a Memory / GPU column and says what it assumes; markdown and csv carry it too", async () => {
    const table = await runCli(["--model", "llama-3.2-1b", "--methods", "lora", "--memory", "--gpu-memory", "8GiB", "--dtype", "bf16", "--no-parts"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Memory \/ GPU/);
    expect(table.stdout).toMatch(/GiB (fits|over)/);
    expect(table.stdout).toMatch(/memory: model states per GPU .*bf16 weights/);
    const md = await runCli(["--model", "llama-3.2-1b", "--methods", "lora", "--memory", "--format", "markdown"]);
    expect(md.stdout).toMatch(/\| Memory \/ GPU \|/);
    const csv = await runCli(["--model", "llama-3.2-1b", "--methods", "lora", "--memory", "--format", "csv"]);
    expect(csv.stdout.split("\r\n")[0]).toMatch(/,memoryPerGpuBytes,memoryFits$/);
  });

  test("without --memory nothing changes, and a setup flag alone is refused (exit 2)", async () => {
    const plain = await json(["--model", "llama-3.2-1b", "--methods", "lora", "--json"]);
    expect(plain.rows.every((r) => r.memory === undefined)).toBe(true);
    expect(plain.memorySetup).toBeUndefined();
    const r = await runCli(["--model", "llama-3.2-1b", "--optimizer", "adamw-8bit", "--gpus", "2"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--optimizer, --gpus describe the training setup of the memory column.*--memory/);
  });
});

describe("--adapters-version is a listed flag", () => {
  test("count and compare --help list it; it selects the AdapterHub release; a PEFT method refuses it", async () => {
    for (const cmd of ["count", "compare"]) expect((await runCli([cmd, "--help"])).stdout).toMatch(/--adapters-version <version>/);
    const hub = await runCli(["count", "--model", "bert-base-uncased", "--method", "houlsby", "--adapters-version", "1.0.0", "--json"], {});
    expect(hub.code, hub.stderr).toBe(0);
    expect((JSON.parse(hub.stdout) as { versions: { adapters: string } }).versions.adapters).toBe("1.0.0");
    const peft = await runCli(["count", "--model", "llama-3.2-1b", "--method", "lora", "--adapters-version", "1.0.0"]);
    expect(peft.code).toBe(2);
    expect(peft.stderr).toMatch(/--adapters-version applies to AdapterHub/);
  }, 60_000);
});
