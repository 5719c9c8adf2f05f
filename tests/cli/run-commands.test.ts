/** The listing commands: models, methods, schema, inspect; help and version. */
import { ADAPTERHUB_CONFIGS } from "../../formulas/adapters/registry.js";
import { describe, expect, test } from "vitest";
import * as z from "zod/mini";
import { inspectReportSchema } from "../../src/report/inspect.js";
import { comparisonReportSchema } from "../../src/report/schema.js";
import { methodsReportSchema } from "../../src/report/methods.js";
import { FORMULAS } from "../../formulas/index.js";
import { runCli } from "./fake-io.js";

describe("models", () => {
  test("table lists every preset with its published count and HF id", async () => {
    const r = await runCli(["models"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/llama-3-8b\s+│ llama\s+│\s+8,030,261,248 │ meta-llama\/Meta-Llama-3-8B/);
    expect(r.stdout).toMatch(/phi-3-mini-4k\s+│ phi3\s+│\s+3,821,079,552 │/);
    expect(r.stderr).toBe("");
  });

  test("--json: ids, model types, exact published counts", async () => {
    const r = await runCli(["models", "--json"]);
    const { models } = JSON.parse(r.stdout) as { models: { id: string; modelType: string; publishedParams: number; aliases: string[] }[] };
    const byId = new Map(models.map((m) => [m.id, m]));
    expect(byId.get("llama-2-7b")).toMatchObject({ modelType: "llama", publishedParams: 6_738_415_616, aliases: ["meta-llama/Llama-2-7b-hf"] });
    expect(byId.get("gpt2")).toMatchObject({ modelType: "gpt2", publishedParams: 124_439_808 });
    expect(new Set(models.map((m) => m.id)).size).toBe(models.length);
  });

  test("csv", async () => {
    const lines = (await runCli(["models", "--format", "csv"])).stdout.split("\r\n");
    expect(lines[0]).toBe("id,modelType,publishedParams");
    expect(lines).toContain("llama-3-8b,llama,8030261248");
  });
});

describe("methods", () => {
  test("--verbose shows each method's formula and every option as a flag with its default", async () => {
    const r = await runCli(["methods", "--verbose"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lora\s+LoRA\s+\(arXiv:2106\.09685, peft_type LORA\)$/m);
    expect(r.stdout).toContain("Σ_targets r·(d_in + d_out)");
    expect(r.stdout).toMatch(/^\s+--r\s+8\s+adapter rank$/m);
    expect(r.stdout).toMatch(/^\s+--target-modules\s+null\s+module names/m);
    expect(r.stdout).toMatch(/^\s+--bias\s+"none"\s+/m);
  });

  test("without --verbose, no option list", async () => {
    const r = await runCli(["methods"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("lora");
    expect(r.stdout).not.toContain("--lora-alpha");
  });

  test("--json lists full, lora, dora with defaults", async () => {
    const { methods } = JSON.parse((await runCli(["methods", "--json"])).stdout) as { methods: { id: string; peftType: string | null; options: { key: string; default: unknown }[] }[] };
    expect(methods.map((m) => m.id)).toEqual(expect.arrayContaining(["full", "lora", "dora"]));
    const lora = methods.find((m) => m.id === "lora")!;
    expect(lora.peftType).toBe("LORA");
    expect(lora.options.find((o) => o.key === "r")?.default).toBe(8);
  });

  test("--json follows `peftcount schema methods`: every method with family, releases and options", async () => {
    const r = await runCli(["methods", "--json"]);
    const report = methodsReportSchema.parse(JSON.parse(r.stdout));
    expect(report.methods.map((m) => m.id)).toEqual([...FORMULAS.map((f) => f.id), ...ADAPTERHUB_CONFIGS.map((c) => `adapters:${c.name}`)]);
    expect(report.methods.find((m) => m.id === "adapters:compacter")).toMatchObject({ family: "AdapterHub", library: "adapters", peftType: null });
    expect(report.methods.find((m) => m.id === "lora")).toMatchObject({ family: "LoRA and relatives", peftVersions: { since: null, removedIn: null } });
    const schema = JSON.parse((await runCli(["schema", "methods"])).stdout) as unknown;
    expect(schema).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(methodsReportSchema))));
  });

  test("csv: one quoted row per method", async () => {
    const r = await runCli(["methods", "--format", "csv"]);
    const lines = r.stdout.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,title,family,peftType,paper,since,removedIn,expression");
    expect(lines).toHaveLength(FORMULAS.length + ADAPTERHUB_CONFIGS.length + 1);
  });
});

describe("schema", () => {
  test("prints the JSON Schema of the --json report", async () => {
    const r = await runCli(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { type: string; required: string[]; properties: Record<string, { const?: unknown }> };
    expect(schema).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(comparisonReportSchema))));
    expect(schema.required).toEqual(expect.arrayContaining(["schemaVersion", "model", "rows"]));
    expect(schema.properties["schemaVersion"]?.const).toBe(1);
  });

  test("an unknown schema name is a usage error listing the names", async () => {
    const r = await runCli(["schema", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: unknown schema "nope"\nhint: schemas: report, methods, memory, check, budget, sweep, transforms (report is compare/count --json)\n');
  });
});

describe("inspect --model phi-3-mini-4k", () => {
  test("table: fused modules with shapes and counts, and the names to target", async () => {
    const r = await runCli(["inspect", "--model", "phi-3-mini-4k"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("phi-3-mini-4k  Phi3ForCausalLM (CAUSAL_LM)  3,821,079,552 parameters");
    // qkv_proj: 3072 → 3·3072 per layer, 32 layers
    expect(r.stdout).toMatch(/model\.layers\.\*\.self_attn\.qkv_proj\s+│ Linear\(3072 → 9216, bias=false\)\s+│ 32 │\s+905,969,664 │/);
    expect(r.stdout).toMatch(/model\.layers\.\*\.mlp\.gate_up_proj\s+│ Linear\(3072 → 16384, bias=false\)\s+│ 32 │ 1,610,612,736 │/);
    const names = /^target_modules names: (.*)$/m.exec(r.stdout)?.[1]?.split(", ");
    expect(names?.sort()).toEqual(["down_proj", "embed_tokens", "gate_up_proj", "lm_head", "o_proj", "qkv_proj"]);
  });

  test("--json: groups add up to the model", async () => {
    const r = await runCli(["inspect", "-m", "phi-3-mini-4k", "--json"]);
    const report = JSON.parse(r.stdout) as { model: { baseParams: number }; groups: { name: string; modules: number; paramsEach: number; paramsTotal: number }[] };
    expect(report.model.baseParams).toBe(3_821_079_552);
    expect(report.groups.reduce((s, g) => s + g.paramsTotal, 0)).toBe(3_821_079_552);
    expect(report.groups.find((g) => g.name === "model.layers.*.self_attn.o_proj")).toMatchObject({ modules: 32, paramsEach: 3072 * 3072, paramsTotal: 32 * 3072 * 3072 });
  });

  test("--json follows inspectReportSchema; Llama marks PEFT's default targets and all-linear, and sums by category", async () => {
    const r = await runCli(["inspect", "-m", "llama-3.2-1b", "--json"]);
    const report = inspectReportSchema.parse(JSON.parse(r.stdout));
    const flags = Object.fromEntries(report.groups.map((g) => [g.name, [g.defaultTarget, g.allLinear]]));
    expect(flags["model.layers.*.self_attn.q_proj"]).toEqual([true, true]);
    expect(flags["model.layers.*.self_attn.k_proj"]).toEqual([false, true]);
    expect(flags["lm_head"]).toEqual([false, false]);
    expect(report.groups.find((g) => g.name === "lm_head")).toMatchObject({ tied: true, paramsTotal: 0 });
    expect(report.defaultTargetModules).toEqual(["q_proj", "v_proj"]);
    // Llama-3.2-1B: 1,235,814,400 = embeddings 262,668,288 + 16 layers of attention and MLP + norms
    expect(report.categories).toEqual({ embeddings: 262_668_288, attention: 16 * 10_485_760, mlp: 16 * 50_331_648, norms: 33 * 2048, head: 0, other: 0 });
    expect(Object.values(report.categories).reduce((a, b) => a + b, 0)).toBe(1_235_814_400);
  });

  test("csv", async () => {
    const lines = (await runCli(["inspect", "-m", "phi-3-mini-4k", "--format", "csv"])).stdout.split("\r\n");
    expect(lines[0]).toBe("name,className,modules,paramsTotal,defaultTarget,allLinear");
    expect(lines).toContain("model.layers.*.self_attn.qkv_proj,Linear,32,905969664,false,true");
  });
});

describe("help and version", () => {
  test("--help: usage on stdout, exit 0", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: peftcount \[options\] \[command\]/);
    for (const c of ["compare", "count", "inspect", "models", "methods", "schema"]) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    expect(r.stderr).toBe("");
  });

  test("count --help lists the method flags", async () => {
    const r = await runCli(["count", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--adapter <path>");
    expect(r.stdout).toContain("--target-modules q_proj,v_proj");
  });

  test("--version prints a version, exit 0", async () => {
    const r = await runCli(["--version"]);
    expect(r).toEqual({ code: 0, stdout: "0.0.0-dev\n", stderr: "" });
  });
});

describe("colour: only on a terminal, never with NO_COLOR, --no-color or TERM=dumb", () => {
  const ESC = "\u001b[";
  test.each([
    ["a TTY", [], {}, true],
    ["a TTY, NO_COLOR=1", [], { NO_COLOR: "1" }, false],
    ["a TTY, --no-color", ["--no-color"], {}, false],
    ["a TTY, TERM=dumb", [], { TERM: "dumb" }, false],
    ["a TTY, --json", ["--json"], {}, false],
    ["a TTY, models --no-color", ["models", "--no-color"], {}, false],
    ["a TTY, inspect, NO_COLOR=1", ["inspect"], { NO_COLOR: "1" }, false],
  ])("%s", async (_name, argv, env, coloured) => {
    const r = await runCli(argv, { isTTY: true, env });
    expect(r.code).toBe(0);
    expect(r.stdout.includes(ESC)).toBe(coloured);
  });
});
