/**
 * AdapterHub through the CLI, in-process (tests/cli/fake-io.ts): saved AdapterHub files, `adapters:` specs and
 * config strings in count and compare, the releases chosen (and said), methods listing.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { comparisonReportSchema } from "../../src/report/schema.js";
import { expectError, runCli } from "../cli/fake-io.js";

interface V {
  id: string;
  task: string;
  model: Record<string, unknown>;
  adapter: Record<string, unknown>;
  expected: { trainableParams: number; allParams: number; baseParams: number };
}
const REF = JSON.parse(readFileSync(new URL("../golden/vectors.json", import.meta.url), "utf8")) as V[];
const HUB = JSON.parse(readFileSync(new URL("../golden/adapters.json", import.meta.url), "utf8")) as V[];
const byId = (id: string) => [...REF, ...HUB].find((v) => v.id === id)!;

const json = async (argv: string[], files: Record<string, string> = {}) => {
  const r = await runCli([...argv, "--json"], { files });
  expect(r.stderr.replace(/^(warning|note): .*\n/gm, "")).toBe("");
  expect(r.code).toBe(0);
  return comparisonReportSchema.parse(JSON.parse(r.stdout)) as ReturnType<typeof comparisonReportSchema.parse> & { versions: { adapters?: string } };
};

describe("count --adapter with a saved AdapterHub adapter_config.json", { timeout: 60_000 }, () => {
  test.each([
    ["adapters-SeqBnConfig-hfseqcls-roberta-base", "1.0.0", "4.43.3"],
    ["adapters12-str-houlsby-plus-inv-roberta-base", "1.2.0", "4.57.6"],
    ["adapters-CompacterConfig-t5-base", "1.0.0", "4.43.3"],
  ])("%s: the vector's counts, the release from the file's version", async (id, adapters, transformers) => {
    const v = byId(id);
    const r = await json(["count", "--model", "config.json", "--adapter", "adapter_config.json", "--task", v.task], { "config.json": JSON.stringify(v.model), "adapter_config.json": JSON.stringify(v.adapter) });
    expect(r.versions).toMatchObject({ adapters, transformers });
    expect(r.rows[0]).toMatchObject({ library: "adapters", trainableParams: v.expected.trainableParams, allParams: v.expected.allParams, baseParams: v.expected.baseParams });
    expect(r.model.notes.join()).toMatch(/AdapterHub's convention \(train_adapter\): adapters .* chosen by the adapter file's version/);
  });
  test("option flags override the file's keys, with a warning", async () => {
    const v = byId("adapters-SeqBnConfig-roberta-base");
    const r = await runCli(["count", "--model", "roberta-base", "--task", "FEATURE_EXTRACTION", "--adapter", "a.json", "--reduction-factor", "8", "--json"], { files: { "a.json": JSON.stringify(v.adapter) } });
    expect(JSON.parse(r.stdout).rows[0].trainableParams).toBe(1_779_840);
    expect(r.stderr).toMatch(/warning: --reduction-factor overrides "reduction_factor": 16 from \/proj\/a\.json \(now 8\)/);
  });
  test("the file names no base model: --model is required", async () => {
    const r = await runCli(["count", "--adapter", "a.json"], { files: { "a.json": JSON.stringify({ config: "seq_bn", name: "x" }) } });
    expectError(r, 2, "--model is required: an AdapterHub adapter file does not name its base model (/proj/a.json)", "pass --model");
  });
});

describe("count --method", { timeout: 60_000 }, () => {
  test('"adapters:seq_bn reduction_factor=8": adapters 1.2.0 on transformers 4.57.6 by default, said in versions', async () => {
    const r = await json(["count", "--model", "roberta-base", "--task", "FEATURE_EXTRACTION", "--method", "adapters:seq_bn reduction_factor=8"]);
    expect(r.versions).toEqual({ peft: "0.21.0", transformers: "4.57.6", adapters: "1.2.0" });
    expect(r.rows[0]).toMatchObject({ method: "adapters:seq_bn", options: { config: "seq_bn", reduction_factor: 8 }, trainableParams: 1_779_840, adapterSummary: { params: 1_779_840, fullModel: 124_645_632 } });
  });
  test("a named config then key=value words, without the prefix", async () => {
    const r = await json(["count", "--model", "roberta-base", "--task", "FEATURE_EXTRACTION", "--method", "pfeiffer reduction_factor=8"]);
    expect(r.rows[0]).toMatchObject({ method: "adapters:pfeiffer", trainableParams: 1_779_840 });
  });
  test("an option flag applies to the named config", async () => {
    const r = await json(["count", "--model", "roberta-base", "--task", "FEATURE_EXTRACTION", "--method", "adapters:seq_bn", "--reduction-factor", "8"]);
    expect(r.rows[0]!.trainableParams).toBe(1_779_840);
  });
  test.each([
    ["houlsby", 1_789_056],
    ["double_seq_bn[reduction_factor=8]", 3_559_680],
    ["prefix_tuning[bottleneck_size=800]|par_bn", 22_493_984],
  ])("a config string as users write it: %s", async (spec, trainable) => {
    const r = await json(["count", "--model", "roberta-base", "--task", "FEATURE_EXTRACTION", "--method", spec]);
    expect(r.rows[0]).toMatchObject({ method: `adapters:${spec}`, library: "adapters", trainableParams: trainable });
  });
  test("a PEFT id stays PEFT's: lora is PEFT's LoRA, adapters:lora AdapterHub's", async () => {
    const r = await json(["count", "--model", "roberta-base", "--task", "FEATURE_EXTRACTION", "--method", "lora"]);
    expect(r.rows[0]!.library).toBe("peft");
  });
  test("unfreeze_layer_norms=true: the Compacter paper's count", async () => {
    const r = await runCli(["count", "--model", "t5-base", "--method", "adapters:compacter unfreeze_layer_norms=true", "--json"]);
    expect(JSON.parse(r.stdout).rows[0].trainableParams).toBe(161_728);
    expect(r.stderr).toMatch(/unfreeze_layer_norms is the Compacter paper's option, not an AdapterHub key/);
  });
  test("a broken config string: exit 1, the offending part under a caret", async () => {
    const r = await runCli(["count", "--model", "roberta-base", "--method", "double_seq_bn[reduction_factr=8]"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: AdapterHub config string: "reduction_factr" is not an option of DoubleSeqBnConfig.*\n {2}double_seq_bn\[reduction_factr=8\]\n {16}\^\nhint: /);
  });
  test("prompt tuning on T5: refused by adapters 1.2.0, nothing added by 1.0.0 (--adapters-version)", async () => {
    expectError(await runCli(["count", "--model", "t5-base", "--method", "prompt_tuning"]), 1, /AdapterHub's t5 model does not support prompt tuning/, /--adapters-version 1\.0\.0/);
    const r = await runCli(["count", "--model", "t5-base", "--method", "prompt_tuning", "--adapters-version", "1.0.0", "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ versions: { adapters: "1.0.0", transformers: "4.43.3" }, rows: [{ trainableParams: 0 }] });
    expect(r.stderr).toMatch(/silently adds nothing/);
  });
  test("AdapterHub does not run on transformers 5", async () =>
    expectError(await runCli(["count", "--model", "roberta-base", "--method", "houlsby", "--transformers-version", "5.18.0"]), 1, /AdapterHub does not run on transformers 5\.18\.0/, /--transformers-version 4\.57\.6/));
  test("an unknown AdapterHub config suggests the nearest", async () =>
    expectError(await runCli(["count", "--model", "roberta-base", "--method", "adapters:houlsbi"]), 2, 'unknown AdapterHub config "houlsbi"', 'did you mean "houlsby"?'));
});

describe("compare", { timeout: 60_000 }, () => {
  test("Houlsby, Pfeiffer, parallel, Compacter and Compacter++ by default on an encoder model", async () => {
    const r = await json(["compare", "--model", "bert-base-uncased", "--task", "FEATURE_EXTRACTION"]);
    const hub = r.rows.filter((x) => x.library === "adapters");
    expect(hub.map((x) => [x.method, x.trainableParams])).toEqual([
      ["adapters:houlsby", 1_789_056],
      ["adapters:pfeiffer", 894_528],
      ["adapters:parallel", 7_091_712],
      ["adapters:compacter", 57_088],
      ["adapters:compacter++", 28_576],
    ]);
    expect(r.rows.find((x) => x.method === "lora")!.library).toBe("peft");
  });
  test("and on an encoder-decoder model; not on a decoder-only one", async () => {
    expect((await json(["compare", "--model", "t5-small"])).rows.some((x) => x.method === "adapters:compacter")).toBe(true);
    expect((await json(["compare", "--model", "llama-3.2-1b"])).rows.some((x) => x.library === "adapters")).toBe(false);
  });
  test("--method mixes PEFT specs and AdapterHub ones", async () => {
    const r = await json(["compare", "--model", "bert-base-uncased", "--task", "FEATURE_EXTRACTION", "--method", "lora", "--method", "adapters:lora r=16"]);
    expect(r.rows.map((x) => [x.method, x.library])).toEqual([
      ["full", "peft"],
      ["lora", "peft"],
      ["adapters:lora", "adapters"],
    ]);
  });
});

test("methods lists the AdapterHub configs with their options", async () => {
  const r = await runCli(["methods", "--json"]);
  const m = JSON.parse(r.stdout).methods.find((x: { id: string }) => x.id === "adapters:compacter++");
  expect(m).toMatchObject({ family: "AdapterHub", library: "adapters", paper: "https://arxiv.org/abs/2106.04647" });
  expect(m.options.find((o: { key: string }) => o.key === "reduction_factor").default).toBe(32);
});
