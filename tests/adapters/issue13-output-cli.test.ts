/**
 * Issue 13's architectures, releases, ids and output through the CLI in-process: the 14 architectures (13
 * supported, gpt_neox refused with the list), Qwen2's plugin-interface limits, --adapters-version 1.0.0 vs
 * 1.2.0, saved adapter_config.json files, both denominators and adapter_summary() on every AdapterHub row, the
 * library each row follows, compare's default rows, and the `methods` listing.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { expectError, runCli } from "../cli/fake-io.js";
import { ADAPTERHUB_ERAS } from "./helpers.js";

const HUB = ADAPTERHUB_ERAS[0][1];
const byId = (id: string) => ADAPTERHUB_ERAS.flatMap(([, vs]) => vs).find((v) => v.id === id)!;
const NAMED = ["bert", "roberta", "xlm-roberta", "distilbert", "deberta-v2", "t5", "mt5", "bart", "gpt2", "gptj", "llama", "mistral", "qwen2"];

describe("architectures", { timeout: 60_000 }, () => {
  test("the 13 supported ones named by the issue all have adapters 1.2.0 vectors, which pass through the CLI (vectors-cli.test.ts)", () =>
    expect([...new Set(HUB.map((v) => v.model.model_type))].sort()).toEqual([...NAMED].sort()));
  test("gpt_neox has no AdapterHub interface: refused, listing the supported model types", async () => {
    const r = await runCli(["count", "--model", "pythia-160m", "--method", "houlsby"]);
    expectError(r, 1, 'AdapterHub (adapters 1.2.0) has no adapter support for model_type "gpt_neox"', "AdapterHub supports: ");
    for (const t of NAMED) expect(r.stderr).toContain(t);
  });
  test("Qwen2's plugin interface: bottleneck, LoRA, ReFT and invertible adapters only; no original_ln_after=False", async () => {
    for (const spec of ["prefix_tuning", "mam"])
      expectError(await runCli(["count", "--model", "qwen2.5-0.5b", "--method", spec]), 1, /plugin interface for qwen2 supports bottleneck, lora, reft, invertible adapters, not prefix_tuning/, /use one of/);
    expectError(await runCli(["count", "--model", "qwen2.5-0.5b", "--method", "prompt_tuning"]), 1, /plugin interface for qwen2 supports .*, not prompt_tuning/, /use one of/);
    expectError(await runCli(["count", "--model", "qwen2.5-0.5b", "--method", "seq_bn[original_ln_after=False]"]), 1, /does not support original_ln_after=False/, /original_ln_after=True/);
    for (const id of ["adapters12-compacterpp-qwen2.5-0.5b", "adapters12-ia3-qwen2.5-0.5b", "adapters12-direft-qwen2.5-0.5b", "adapters12-double-seq-bn-inv-qwen2.5-0.5b"]) expect(byId(id)).toBeDefined();
  });
  test("Qwen2 is new in adapters 1.2.0: 1.0.0 refuses it", async () =>
    expectError(await runCli(["count", "--model", "qwen2.5-0.5b", "--method", "seq_bn", "--adapters-version", "1.0.0"]), 1, /adapters 1\.0\.0\) has no adapter support for model_type "qwen2" \(supported from adapters 1\.2\.0\)/, "AdapterHub supports: "));
});

describe("--adapters-version 1.0.0 vs 1.2.0", { timeout: 60_000 }, () => {
  const json = async (argv: string[]) => {
    const r = await runCli([...argv, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    return { out: JSON.parse(r.stdout), stderr: r.stderr };
  };
  test.each(["llama-3.2-1b", "gpt2", "bart-base", "t5-base"])("prompt tuning on %s: 1.2.0 refuses it, 1.0.0 added nothing", async (model) => {
    expectError(await runCli(["count", "--model", model, "--method", "prompt_tuning"]), 1, /does not support prompt tuning \(support_prompt_tuning = False; adapters 1\.2\.0 refuses it in add_adapter\)/, /--adapters-version 1\.0\.0/);
    const { out, stderr } = await json(["count", "--model", model, "--method", "prompt_tuning", "--adapters-version", "1.0.0"]);
    expect(out.versions).toMatchObject({ adapters: "1.0.0", transformers: "4.43.3" });
    expect(out.rows[0].trainableParams).toBe(0);
    expect(stderr).toMatch(/silently adds nothing/);
  });
  test("prompt tuning where the model has it counts in both (adapters12-prompt-tuning-bert-base-uncased)", async () => {
    for (const v of ["1.0.0", "1.2.0"]) expect((await json(["count", "--model", "bert-base-uncased", "--task", "FEATURE_EXTRACTION", "--method", "prompt_tuning", "--adapters-version", v])).out.rows[0].trainableParams).toBe(10 * 768);
  });
  test("VeRA / DoRA keys are plain attributes in 1.0.0 (plain LoRA, said); a release that does not exist is refused", async () => {
    const { out } = await json(["count", "--model", "bert-base-uncased", "--task", "FEATURE_EXTRACTION", "--method", "adapters:dora", "--adapters-version", "1.0.0"]);
    expect(out.rows[0].trainableParams).toBe(294_912);
    expect(out.rows[0].warnings.join()).toMatch(/no VeRA \/ DoRA/);
    const bad = await runCli(["count", "--model", "bert-base-uncased", "--method", "houlsby", "--adapters-version", "one"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--adapters-version "one" is not a release number/);
  });
});

describe("saved AdapterHub adapter_config.json via count --adapter", { timeout: 60_000 }, () => {
  const count = async (adapter: unknown, model = "roberta-base") => {
    const r = await runCli(["count", "--model", model, "--task", "FEATURE_EXTRACTION", "--adapter", "adapter_config.json", "--json"], { files: { "adapter_config.json": JSON.stringify(adapter) } });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  test("config as a named config string, and the file's version picks the release", async () => {
    const out = await count({ config: "houlsby", name: "sst-2", model_type: "roberta", version: "adapters.1.0.0" });
    expect(out).toMatchObject({ versions: { adapters: "1.0.0", transformers: "4.43.3" }, rows: [{ method: "adapters:sst-2", library: "adapters", trainableParams: 1_789_056 }] });
  });
  test("a file from adapters 0.x is counted with 1.0.0's rules, and the note says so", async () => {
    const r = await runCli(["count", "--model", "roberta-base", "--task", "FEATURE_EXTRACTION", "--adapter", "a.json"], { files: { "a.json": JSON.stringify({ config: "seq_bn", name: "x", version: "adapters.0.2.0" }) } });
    expect(r.stdout).toMatch(/adapters 1\.0\.0 on transformers 4\.43\.3, chosen by the adapter file's version \(adapters 0\.2\.0 predates 1\.0\.0, the oldest release modelled: counted with its rules\)/);
    expect(r.stdout).toContain("894,528");
  });
  test("a saved union (ConfigUnion.to_dict) counts as the config string does (adapters12-mam-roberta-base)", async () => {
    const v = byId("adapters12-mam-roberta-base");
    expect((await count(v.adapter)).rows[0].trainableParams).toBe(v.expected.trainableParams);
    expect((await count({ config: "mam", name: "m", version: "adapters.1.2.0" })).rows[0].trainableParams).toBe(v.expected.trainableParams);
  });
});

describe("every AdapterHub row: its library, both denominators, adapter_summary()", { timeout: 120_000 }, () => {
  const SUMMARY = /adapter_summary\(\): #param (\d+), %param ([\d.]+), Full model (\d+)/;
  const noted = ADAPTERHUB_ERAS.flatMap(([, vs]) => vs).filter((v) => SUMMARY.test((v as { note?: string }).note ?? ""));
  test(`adapter_summary()'s #param, %param and Full model as the ${noted.length} vectors' notes record them`, async () => {
    expect(noted.length).toBeGreaterThan(250);
    const wrong: string[] = [];
    for (const v of noted) {
      const [, params, percent, full] = SUMMARY.exec((v as { note?: string }).note!)!;
      const argv = ["count", "--model", "config.json", "--adapter", "adapter_config.json", "--json", "--task", v.task];
      if (v.versions?.transformers) argv.push("--transformers-version", v.versions.transformers);
      const r = await runCli(argv, { files: { "config.json": JSON.stringify(v.model), "adapter_config.json": JSON.stringify(v.adapter) } });
      const s = JSON.parse(r.stdout).rows[0].adapterSummary;
      if (s.params !== Number(params) || s.fullModel !== Number(full) || s.percentParam.toFixed(4) !== Number(percent).toFixed(4)) wrong.push(`${v.id}: ${JSON.stringify(s)} vs ${params} ${percent} ${full}`);
    }
    expect(wrong).toEqual([]);
  });
  test("compare: AdapterHub rows say library adapters, PEFT rows peft; % of all = trainable / all, % of full FT = trainable / base", async () => {
    const r = await runCli(["compare", "--model", "roberta-base", "--task", "SEQ_CLS", "--method", "lora", "--method", "houlsby", "--method", "adapters:lora", "--json"]);
    const rows = JSON.parse(r.stdout).rows as { method: string; library: string; trainableParams: number; allParams: number; baseParams: number; percentOfAll: number; percentOfFull: number; adapterSummary?: { params: number; fullModel: number } }[];
    expect(rows.map((x) => [x.method, x.library])).toEqual([["full", "peft"], ["lora", "peft"], ["adapters:houlsby", "adapters"], ["adapters:lora", "adapters"]]);
    for (const x of rows) {
      expect(x.percentOfAll).toBeCloseTo((100 * x.trainableParams) / x.allParams, 10);
      expect(x.percentOfFull).toBeCloseTo((100 * x.trainableParams) / x.baseParams, 10);
      if (x.library === "adapters") expect(x.adapterSummary!.fullModel).toBeLessThan(x.baseParams); // the classifier is left out
    }
  });
  test("text: every AdapterHub row names AdapterHub, and a note says which denominator is which", async () => {
    const r = await runCli(["compare", "--model", "bert-base-uncased", "--method", "lora", "--method", "compacter", "--method", "adapters:lora", "--method", "prefix_tuning|par_bn"]);
    expect(r.code).toBe(0);
    for (const title of ["AdapterHub Compacter: Houlsby placement", "LoRA on the attention q, v (AdapterHub)", "AdapterHub union: prefix_tuning + par_bn"]) expect(r.stdout).toContain(title);
    expect(r.stdout).toMatch(/note: AdapterHub rows follow AdapterHub's convention \(train_adapter\).*% of full FT = trainable \/ base \(heads included\); adapter_summary\(\)'s %param = the adapter's parameters \/ its Full model/);
    const one = await runCli(["count", "--model", "bert-base-uncased", "--method", "houlsby", "--format", "markdown"]);
    expect(one.stdout).toContain("| AdapterHub Houlsby adapters (= double_seq_bn) | config=houlsby | 1,790,594 |");
  });
});

describe("methods", { timeout: 60_000 }, () => {
  test("every adapters: config: options with defaults, formula, paper, AdapterHub's convention", async () => {
    const list = JSON.parse((await runCli(["methods", "--json"])).stdout).methods.filter((m: { library?: string }) => m.library === "adapters") as { id: string; expression: string; paper: string; options: { key: string; default: unknown }[] }[];
    expect(list.length).toBeGreaterThanOrEqual(28);
    for (const m of list) {
      expect(m.id.startsWith("adapters:"), m.id).toBe(true);
      expect(m.paper, m.id).toMatch(/^https:\/\/arxiv\.org\//);
      expect(m.expression.length, m.id).toBeGreaterThan(10);
      expect(m.options.find((o) => o.key === "unfreeze_layer_norms"), m.id).toMatchObject({ default: false });
      expect(m.options.filter((o) => ["head", "head_layers", "num_labels"].includes(o.key)).map((o) => o.default), m.id).toEqual([null, null, 2]);
    }
    const get = (id: string) => list.find((m) => m.id === id)!;
    const dflt = (id: string, key: string) => get(id).options.find((o) => o.key === key)?.default;
    expect([dflt("adapters:par_bn", "reduction_factor"), dflt("adapters:par_bn", "scaling"), dflt("adapters:houlsby", "mh_adapter"), dflt("adapters:compacter", "phm_dim")]).toEqual([2, 4, true, 4]);
    expect([dflt("adapters:prefix_tuning", "prefix_length"), dflt("adapters:prefix_tuning", "bottleneck_size"), dflt("adapters:lora", "r"), dflt("adapters:ia3", "attn_matrices")]).toEqual([30, 512, 8, ["k", "v"]]);
    expect(get("adapters:compacter").expression).toMatch(/PHM/);
    expect(get("adapters:compacter++").expression).toMatch(/phm_dim³ once/);
    expect(get("adapters:ia3").expression).toMatch(/^Σ wrapped out/);
    expect(get("adapters:vera").expression).toMatch(/r² \+ out²/);
    expect(get("adapters:seq_bn_inv").expression).toMatch(/input embeddings/);
    expect(get("adapters:unipelt").expression).toMatch(/^prefix_tuning: .* \+ seq_bn: .* \+ lora: /);
  });
  test("the text listing shows an AdapterHub config's options, defaults and formula", async () => {
    const out = (await runCli(["methods", "--verbose"])).stdout;
    const block = out.slice(out.indexOf("adapters:compacter++ "), out.indexOf("adapters:pfeiffer "));
    expect(block).toMatch(/count: Σ positions 2 PHM layers/);
    expect(block).toMatch(/--reduction-factor +32 /);
    expect(block).toMatch(/--unfreeze-layer-norms +false /);
  });
});
