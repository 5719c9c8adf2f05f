/**
 * Issue 13, item by item, through the CLI in-process (tests/cli/fake-io.ts): the options, config strings, saved
 * files, architectures, releases, ids, denominators and listings the issue names. Numbers come from the
 * AdapterHub vectors (tests/golden/adapters.json: adapters 1.2.0 main 88f18eb + transformers 4.57.6;
 * tests/golden/vectors.json: adapters 1.0.0 + transformers 4.43.3), cited by id, or are derived in the test
 * from AdapterHub's source (adapters src/adapters/methods/*.py) where no vector has the option.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { expectError, runCli } from "../cli/fake-io.js";

interface V {
  id: string;
  task: string;
  model: Record<string, unknown> & { model_type: string };
  adapter: Record<string, unknown>;
  expected: { trainableParams: number; allParams: number; baseParams: number };
}
const load = (f: string) => JSON.parse(readFileSync(new URL(f, import.meta.url), "utf8")) as V[];
const HUB = load("../golden/adapters.json");
const REF = load("../golden/vectors.json").filter((v) => typeof v.adapter["peft_type"] !== "string");
const byId = (id: string) => [...HUB, ...REF].find((v) => v.id === id)!;

interface JsonRow {
  method: string;
  title: string;
  library?: string;
  trainableParams: number;
  allParams: number;
  baseParams: number;
  percentOfAll: number;
  percentOfFull: number;
  warnings: string[];
  adapterSummary?: { params: number; percentParam: number; fullModel: number };
}
async function rows(argv: string[], files: Record<string, string> = {}): Promise<{ rows: JsonRow[]; stderr: string; versions: Record<string, string> }> {
  const r = await runCli([...argv, "--json"], { files });
  expect(r.stderr.split("\n").filter((l) => l.startsWith("error")).join("\n")).toBe("");
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { rows: JsonRow[]; versions: Record<string, string> };
  return { rows: out.rows, stderr: r.stderr, versions: out.versions };
}
/** `count --method SPEC` on a vector's own config.json and task */
const onVector = (id: string, spec: string, extra: string[] = []) => {
  const v = byId(id);
  return rows(["count", "--model", "config.json", "--task", v.task, "--method", spec, ...extra], { "config.json": JSON.stringify(v.model) });
};
const counts = (r: JsonRow) => ({ trainableParams: r.trainableParams, allParams: r.allParams, baseParams: r.baseParams });
/** seq_bn on BERT-base: 2·768·48 + 48 + 768 per layer (adapters12-seq-bn-bert-base-uncased / 12) */
const SEQ_BN = 74_544;

/** the caret sits under `offending` (its first occurrence), or at `offending` when a number */
const caret = async (spec: string, offending: string | number, message: RegExp) => {
  const r = await runCli(["count", "--model", "roberta-base", "--method", spec]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(message);
  const lines = r.stderr.split("\n");
  const at = lines.findIndex((l) => l === `  ${spec}`);
  expect(at, r.stderr).toBeGreaterThan(0);
  expect(lines[at + 1]!.indexOf("^") - 2).toBe(typeof offending === "number" ? offending : spec.indexOf(offending));
};
describe("config strings as users write them", { timeout: 60_000 }, () => {
  test.each([
    ["double_seq_bn[reduction_factor=8]", "adapters-DoubleSeqBnConfig-rf8-roberta-base"],
    ["prefix_tuning[bottleneck_size=800]|par_bn", "adapters12-mam-roberta-base"],
    ["houlsby", "adapters12-double-seq-bn-roberta-base"],
    ["pfeiffer", "adapters12-seq-bn-roberta-base"],
    ["parallel", "adapters12-par-bn-roberta-base"],
    ["scaled_parallel", "adapters12-scaled-par-bn-roberta-base"],
    ["pfeiffer+inv", "adapters12-seq-bn-inv-roberta-base"],
    ["houlsby+inv", "adapters12-double-seq-bn-inv-roberta-base"],
    ["compacter", "adapters12-compacter-roberta-base"],
    ["compacter++", "adapters12-compacterpp-roberta-base"],
    ["mam", "adapters12-mam-roberta-base"],
    ["unipelt", "adapters12-unipelt-bert-base-uncased"],
    ["unipelt", "adapters12-unipelt-t5-base"],
    ["mam", "adapters12-mam-t5-base"],
  ])("%s counts what AdapterHub built from the config dict (%s)", async (spec, id) => {
    const r = await onVector(id, spec);
    expect(r.rows[0]).toMatchObject({ library: "adapters", ...byId(id).expected });
  });

  test("parse errors point a caret at the offending part", async () => {
    await caret("double_seq_bn[reduction_factr=8]", "reduction_factr", /"reduction_factr" is not an option of DoubleSeqBnConfig/);
    await caret("prefix_tuning[bottleneck_size=800]|par_bm", "par_bm", /"par_bm" is not an AdapterHub config/);
    await caret("seq_bn[reduction_factor=8 leave_out=[0]]", "leave_out", /expected "," between options/);
    await caret("double_seq_bn[reduction_factor=8", 32, /does not end with "\]"/);
    await caret("seq_bn[non_linearity=relu]", "relu", /AdapterHub config string/);
    await caret("seq_bn|", 7, /an empty part/);
    await caret("mam[reduction_factor=4]", "reduction_factor", /"reduction_factor" is not an option of PrefixTuningConfig/);
  });
});

describe("adapters: key=value words", { timeout: 60_000 }, () => {
  test("an unknown key is named with the nearest, a malformed value gets AdapterHub's value forms, a comma list is a list", async () => {
    expectError(await runCli(["count", "--model", "bert-base-uncased", "--method", "adapters:seq_bn reduction_factr=8"]), 2, '--method "adapters:seq_bn reduction_factr=8": "reduction_factr" is not an option of SeqBnConfig', 'did you mean "reduction_factor"?');
    expectError(await runCli(["count", "--model", "bert-base-uncased", "--method", "adapters:seq_bn leave_out=[0,x]"]), 2, /leave_out is not valid JSON/, "AdapterHub values: ");
    expect((await onVector("adapters12-seq-bn-bert-base-uncased", "adapters:seq_bn leave_out=0,1")).rows[0]!.trainableParams).toBe(10 * SEQ_BN);
  });
});

describe("bottleneck options through the CLI", { timeout: 60_000 }, () => {
  test("reduction_factor per layer with default: a Python dict in a string, JSON in key=value", async () => {
    // layer 0: d = 768 // 8 = 96 → 2·768·96 + 96 + 768; the other 11 layers rf 16
    const want = 2 * 768 * 96 + 96 + 768 + 11 * SEQ_BN;
    expect((await onVector("adapters12-seq-bn-bert-base-uncased", "seq_bn[reduction_factor={'0': 8, 'default': 16}]")).rows[0]!.trainableParams).toBe(want);
    expect((await onVector("adapters12-seq-bn-bert-base-uncased", 'adapters:seq_bn reduction_factor={"0":8,"default":16}')).rows[0]!.trainableParams).toBe(want);
    expectError(await runCli(["count", "--model", "bert-base-uncased", "--method", "seq_bn[reduction_factor={'0': 8}]"]), 1, /no entry for layer 1 and no "default"/, /default/);
  });
  test("reduction_factor mapping on an encoder-decoder: decoder layers number on after the encoder's (adapters12-seq-bn-rfmap-t5-base)", async () => {
    const v = byId("adapters12-seq-bn-rfmap-t5-base");
    const rf = (v.adapter["config"] as Record<string, unknown>)["reduction_factor"];
    const r = await onVector(v.id, `seq_bn[reduction_factor=${JSON.stringify(rf)}]`);
    expect(counts(r.rows[0]!)).toEqual(v.expected);
  });
  test("leave_out (adapters12-seq-bn-leaveout-bert-base-uncased, adapters12-seq-bn-leaveout-t5-base)", async () => {
    expect(counts((await onVector("adapters12-seq-bn-leaveout-bert-base-uncased", "adapters:seq_bn leave_out=[0,1,2,11]")).rows[0]!)).toEqual(byId("adapters12-seq-bn-leaveout-bert-base-uncased").expected);
    const t5 = byId("adapters12-seq-bn-leaveout-t5-base");
    const lo = (t5.adapter["config"] as Record<string, unknown>)["leave_out"];
    expect(counts((await onVector(t5.id, `seq_bn[leave_out=${JSON.stringify(lo)}]`)).rows[0]!)).toEqual(t5.expected);
  });
  test('scaling "learned" +1, "channel" +H per adapter (BnConfig; methods/modeling.py Adapter)', async () => {
    expect((await onVector("adapters12-scaled-par-bn-bert-base-uncased", "par_bn[scaling='learned']")).rows[0]!.trainableParams).toBe(byId("adapters12-scaled-par-bn-bert-base-uncased").expected.trainableParams);
    expect((await onVector("adapters12-seq-bn-bert-base-uncased", "seq_bn[scaling='channel']")).rows[0]!.trainableParams).toBe(12 * (SEQ_BN + 768));
    expect((await onVector("adapters12-seq-bn-bert-base-uncased", "adapters:seq_bn scaling=channel")).rows[0]!.trainableParams).toBe(12 * (SEQ_BN + 768));
  });
  test("a constant scaling is a float in AdapterHub (isinstance(scaling, float)): scaling=4 in a config string is its ValueError", async () => {
    expect((await onVector("adapters12-seq-bn-bert-base-uncased", "seq_bn[scaling=4.0]")).rows[0]!.trainableParams).toBe(12 * SEQ_BN);
    expect((await onVector("adapters12-seq-bn-bert-base-uncased", "adapters:seq_bn scaling=4")).rows[0]!.trainableParams).toBe(12 * SEQ_BN);
    await caret("seq_bn[scaling=4]", "4", /scaling=4 is an int: AdapterHub's Adapter takes a float, "learned" or "channel" \(ValueError: Unknown scaling type\); write scaling=4\.0/);
  });
  test.each([
    "seq_bn[non_linearity='swish']",
    "seq_bn[init_weights='mam_adapter']",
    "seq_bn[original_ln_before=False, original_ln_after=False]",
    "seq_bn[residual_before_ln=False]",
    "seq_bn[residual_before_ln='post_add']",
    "seq_bn[is_parallel=True, dropout=0.1]",
  ])("%s: placement, activation and initialisation options change no count", async (spec) =>
    expect((await onVector("adapters12-seq-bn-bert-base-uncased", spec)).rows[0]!.trainableParams).toBe(12 * SEQ_BN));
  test("AdapterPlusConfig (a BnConfig class without a config string) as saved: rf 96, channel scaling", async () => {
    const plus = { architecture: null, original_ln_after: false, original_ln_before: true, residual_before_ln: false, stochastic_depth: 0.1, init_weights: "houlsby", scaling: "channel", mh_adapter: false, output_adapter: true, reduction_factor: 96, non_linearity: "gelu" };
    const r = await rows(["count", "--model", "bert-base-uncased", "--task", "FEATURE_EXTRACTION", "--adapter", "a.json"], { "a.json": JSON.stringify({ config: plus, name: "plus", version: "adapters.1.2.0" }) });
    expect(r.rows[0]!.trainableParams).toBe(12 * (2 * 768 * 8 + 8 + 768 + 768));
  });
  test("use_gating: + Linear(H, 1) per adapter (adapters12-seq-bn-gating-bert-base-uncased)", async () =>
    expect(counts((await onVector("adapters12-seq-bn-gating-bert-base-uncased", "seq_bn[use_gating=True]")).rows[0]!)).toEqual(byId("adapters12-seq-bn-gating-bert-base-uncased").expected));
  test("cross_adapter: one more adapter per decoder layer of T5", async () => {
    const r = await onVector("adapters12-double-seq-bn-t5-base", "seq_bn[cross_adapter=True]");
    expect(r.rows[0]!.trainableParams).toBe(36 * SEQ_BN);
  });
  test("mh_adapter, output_adapter, ln_before / ln_after (adapters12-seq-bn-mh-roberta-base, adapters12-seq-bn-lnbefore-lnafter-bert-base-uncased)", async () => {
    expect(counts((await onVector("adapters12-seq-bn-mh-roberta-base", "seq_bn[mh_adapter=True, output_adapter=False]")).rows[0]!)).toEqual(byId("adapters12-seq-bn-mh-roberta-base").expected);
    expect(counts((await onVector("adapters12-seq-bn-lnbefore-lnafter-bert-base-uncased", "seq_bn[ln_before=True, ln_after=True]")).rows[0]!)).toEqual(byId("adapters12-seq-bn-lnbefore-lnafter-bert-base-uncased").expected);
  });
  test("invertible adapters: nice / glow, inv_adapter_reduction_factor (adapters12-seq-bn-inv-glow-roberta-base)", async () => {
    expect(counts((await onVector("adapters12-seq-bn-inv-glow-roberta-base", "seq_bn_inv[inv_adapter='glow']")).rows[0]!)).toEqual(byId("adapters12-seq-bn-inv-glow-roberta-base").expected);
    // NICE on 768: two subnets 384 → 384 // 4 = 96 → 384, each 384·96 + 96 + 96·384 + 384
    const nice4 = 2 * (384 * 96 + 96 + 96 * 384 + 384);
    expect((await onVector("adapters12-seq-bn-roberta-base", "seq_bn_inv[inv_adapter_reduction_factor=4]")).rows[0]!.trainableParams).toBe(12 * SEQ_BN + nice4);
  });
});

describe("Compacter / PHM options through the CLI", { timeout: 60_000 }, () => {
  test.each([
    ["compacter[phm_dim=8]", "adapters12-compacter-phm8-t5-base"],
    ["compacter[factorized_phm_W=False]", "adapters12-compacter-nofactW-t5-base"],
    ["compacter[shared_W_phm=True]", "adapters12-compacter-sharedW-t5-base"],
    ["compacter[phm_rank=4]", "adapters12-compacter-rank4-t5-base"],
    ["compacter[learn_phm=False]", "adapters12-compacter-nolearn-t5-base"],
    ["compacter[phm_bias=False]", "adapters12-compacter-nobias-roberta-base"],
    ["compacter[shared_phm_rule=False]", "adapters12-compacter-noshared-rule-roberta-base"],
    ["compacter[factorized_phm_rule=True]", "adapters12-compacter-factorized-rule-t5-base"],
  ])("%s (%s)", async (spec, id) => expect(counts((await onVector(id, spec)).rows[0]!)).toEqual(byId(id).expected));
  test("the paper's T5-base column: 114,112 / 57,088, and with unfreeze_layer_norms +47,616 (0.073 % / 0.047 % of 222,903,552)", async () => {
    const base = 222_903_552;
    for (const [spec, hub] of [["adapters:compacter", 114_112], ["adapters:compacter++", 57_088]] as const) {
      const plain = (await rows(["count", "--model", "t5-base", "--method", spec])).rows[0]!;
      expect(plain).toMatchObject({ trainableParams: hub, baseParams: base });
      const paper = await rows(["count", "--model", "t5-base", "--method", `${spec} unfreeze_layer_norms=true`]);
      expect(paper.rows[0]!.trainableParams).toBe(hub + 47_616);
      expect(paper.stderr).toMatch(/not an AdapterHub key/);
    }
    expect((await rows(["count", "--model", "t5-base", "--method", "compacter", "--unfreeze-layer-norms", "true"])).rows[0]!.trainableParams).toBe(161_728);
    expect(((114_112 + 47_616) / base) * 100).toBeCloseTo(0.0726, 4);
    expect(((57_088 + 47_616) / base) * 100).toBeCloseTo(0.047, 3);
  });
  test("option flags apply to a bare named config as to an adapters: id (--factorized-phm-W, --shared-W-phm)", async () => {
    expect((await onVector("adapters12-compacter-nofactW-t5-base", "compacter", ["--factorized-phm-W", "false"])).rows[0]).toMatchObject({ method: "adapters:compacter", ...byId("adapters12-compacter-nofactW-t5-base").expected });
    expect(counts((await onVector("adapters12-compacter-sharedW-t5-base", "adapters:compacter", ["--shared-W-phm", "true"])).rows[0]!)).toEqual(byId("adapters12-compacter-sharedW-t5-base").expected);
  });
  test("a width not divisible by phm_dim is AdapterHub's assertion, naming the module", async () =>
    expectError(await runCli(["count", "--model", "bert-base-uncased", "--method", "compacter[phm_dim=5]"]), 1, /bert\.encoder\.layer\.0\.mh_adapter\.adapter_down \(768 → 24\) has in_features = 768, not divisible by phm_dim 5/, /phm_dim/));
});
