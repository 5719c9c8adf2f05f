/**
 * budget, sweep and memory on AdapterHub configs (issues 8, 13), in-process. Numbers are AdapterHub's own,
 * anchored on the vectors (tests/golden/adapters.json, adapters 1.2.0 + transformers 4.57.6):
 * - adapters12-seq-bn-hfseqcls-bert-base-uncased: seq_bn rf 16 on BertForSequenceClassification → 896,066
 *   (12 × (2·768·48 + 48 + 768) + the SEQ_CLS head 1,538 that train_adapter leaves trainable);
 * - adapters12-compacter-t5-base: compacter rf 32 on t5-base → 114,112; adapters12-compacterpp-t5-base → 57,088;
 * - adapters12-lora-hfseqcls-bert-base-uncased: lora r 8 on BertForSequenceClassification → 296,450.
 * Other values are checked against `count` itself.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { gatesReportSchema } from "../../src/report/gates-schema.js";
import { runCli } from "../cli/fake-io.js";

const BERT = ["--model", "bert-base-uncased"];
const T5 = ["--model", "t5-base"];
const json = (stdout: string) => gatesReportSchema.parse(JSON.parse(stdout));
const count = async (argv: string[]) => {
  const r = await runCli(["count", ...argv, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { rows: { trainableParams: number }[] }).rows[0]!.trainableParams;
};

beforeAll(() => runCli(["count", ...BERT, "--method", "seq_bn"]), 60_000);

describe("budget on AdapterHub configs", { timeout: 60_000 }, () => {
  test("reduction_factor falls as it grows: the SMALLEST factor whose count fits, and the next (smaller) one", async () => {
    const r = await runCli(["budget", ...BERT, "--method", "adapters:seq_bn", "--max-trainable", "896066", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = json(r.stdout);
    expect(report.rows[0]).toMatchObject({ method: "adapters:seq_bn", library: "adapters", trainableParams: 896_066, options: { config: "seq_bn", reduction_factor: 16 } });
    // rf 15: d = 51 → 12 × (2·768·51 + 51 + 768) + 1,538
    expect(report.budget).toMatchObject({ knob: "reduction_factor", direction: "down", value: 16, next: { value: 15, trainableParams: 12 * (2 * 768 * 51 + 51 + 768) + 1538 }, capped: false });
    expect(report.budget!.same).toBeUndefined();
    expect(report.versions).toMatchObject({ adapters: "1.2.0" });
    // one parameter less: d = 48 no longer fits, rf 17 (d = 45) is the answer
    const less = json((await runCli(["budget", ...BERT, "--method", "adapters:seq_bn", "--max-trainable", "896065", "--json"])).stdout);
    expect(less.budget!.value).toBe(17);
    expect(less.rows[0]!.trainableParams).toBe(await count([...BERT, "--method", "adapters:seq_bn reduction_factor=17"]));
  });

  test("the factors that give the same count (d = max(1, H // rf) is a step function)", async () => {
    const r = await runCli(["budget", ...BERT, "--method", "seq_bn", "--max-trainable", "300K"]);
    expect(r.code, r.stderr).toBe(0);
    // 768 // 49 = 768 // 51 = 15: rf 49, 50, 51 give 287,414
    expect(r.stdout).toContain("smallest reduction_factor with trainable ≤ 300,000: reduction_factor=49 (reduction_factor 49..51 give the same count)");
    expect(r.stdout).toMatch(/reduction_factor=49 │\s+287,414 │/);
    expect(r.stdout).toContain("counts checked to fall with reduction_factor");
    expect(await count([...BERT, "--method", "seq_bn[reduction_factor=51]"])).toBe(287_414);
  });

  test("past H // 2 the width is 1 for every factor: the run is open-ended (the search ends at H)", async () => {
    const r = await runCli(["budget", ...BERT, "--method", "seq_bn", "--max-trainable", "40K", "--json"]);
    // d = 1: 12 × (2·768 + 1 + 768) + 1,538 = 29,198; rf 384 gives d = 2
    expect(json(r.stdout).budget).toMatchObject({ value: 385, same: { from: 385, to: 768, open: true }, next: { value: 384 } });
    expect(json(r.stdout).rows[0]!.trainableParams).toBe(12 * (2 * 768 + 1 + 768) + 1538);
    const capped = json((await runCli(["budget", ...BERT, "--method", "seq_bn", "--max-trainable", "40K", "--max-value", "500", "--json"])).stdout);
    expect(capped.budget!.same).toEqual({ from: 385, to: 500 });
  });

  test("Compacter: factors whose bottleneck does not divide by phm_dim are skipped; the paper's rf 32 count", async () => {
    const r = await runCli(["budget", ...T5, "--method", "compacter", "--max-trainable", "114112", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const b = json(r.stdout);
    // 768 // 31 = 768 // 32 = 24 (divisible by 4); rf 28..30 give 27, 26, 25: refused by AdapterHub's PHMLayer; rf 27 gives 28
    expect(b.budget).toMatchObject({ value: 31, same: { from: 31, to: 32 }, next: { value: 27, trainableParams: await count([...T5, "--method", "compacter[reduction_factor=27]"]) } });
    expect(b.rows[0]!.trainableParams).toBe(114_112);
  });

  test("the config's other knobs: --knob phm_dim (grows), r, prefix_length, prompt_length", async () => {
    const phm = json((await runCli(["budget", ...T5, "--method", "compacter", "--knob", "phm_dim", "--max-trainable", "120K", "--json"])).stdout);
    // phm_dim must divide 768 and the bottleneck 24: 1, 2, 3, 4, 6, 8, 12, 24
    expect(phm.budget).toMatchObject({ knob: "phm_dim", value: 12, next: { value: 24 } });
    expect(phm.rows[0]!.trainableParams).toBe(await count([...T5, "--method", "compacter[phm_dim=12]"]));
    expect(phm.budget!.direction).toBeUndefined();
    const lora = json((await runCli(["budget", ...BERT, "--method", "adapters:lora", "--max-trainable", "296450", "--json"])).stdout);
    expect(lora.budget).toMatchObject({ knob: "r", value: 8 });
    expect(lora.rows[0]!.trainableParams).toBe(296_450);
    const prefix = json((await runCli(["budget", ...BERT, "--method", "prefix_tuning", "--max-trainable", "10M", "--json"])).stdout);
    expect(prefix.budget).toMatchObject({ knob: "prefix_length", value: 194, next: { value: 195, trainableParams: 10_000_642 } });
    expect(prefix.rows[0]!.trainableParams).toBe(await count([...BERT, "--method", "prefix_tuning[prefix_length=194]"]));
    const bs = json((await runCli(["budget", ...BERT, "--method", "prefix_tuning", "--knob", "bottleneck_size", "--max-trainable", "5M", "--json"])).stdout);
    expect(bs.rows[0]!.trainableParams).toBeLessThanOrEqual(5_000_000);
    expect(bs.budget!.next!.trainableParams).toBeGreaterThan(5_000_000);
  });

  test("the invertible adapter's inv_adapter_reduction_factor falls like a bottleneck's", async () => {
    const r = json((await runCli(["budget", ...BERT, "--method", "seq_bn_inv", "--knob", "inv_adapter_reduction_factor", "--max-trainable", "1M", "--json"])).stdout);
    // seq_bn (rf 16) 896,066 + NICE on 768 = 2 × 384: two subnets 384 → h → 384, h = 384 // rf
    const nice = (h: number) => 2 * (384 * h + h + h * 384 + 384);
    expect(r.budget).toMatchObject({ knob: "inv_adapter_reduction_factor", direction: "down", value: 6, next: { value: 5, trainableParams: 896_066 + nice(76) } });
    expect(r.rows[0]!.trainableParams).toBe(896_066 + nice(64));
  });

  test("--percent: the closest value (trainable / all)", async () => {
    const r = await runCli(["budget", ...BERT, "--method", "prompt_tuning", "--percent", "0.05"]);
    expect(r.code, r.stderr).toBe(0);
    // 69 × 768 + 1,538 = 54,530 of 109,538,308 = 0.0498 %; 70 → 0.0505 %
    expect(r.stdout).toContain("prompt_length closest to 0.05% of all parameters (trainable / all): prompt_length=69");
  });

  test("--percent on a falling knob: no neighbour is closer", async () => {
    const r = json((await runCli(["budget", ...BERT, "--method", "houlsby", "--percent", "1", "--json"])).stdout);
    const k = r.budget!.value!;
    const pct = async (rf: number) => {
      const c = await runCli(["count", ...BERT, "--method", `houlsby[reduction_factor=${rf}]`, "--json"]);
      const row = (JSON.parse(c.stdout) as { rows: { trainableParams: number; allParams: number }[] }).rows[0]!;
      return Math.abs((100 * row.trainableParams) / row.allParams - 1);
    };
    expect(k).toBe(26);
    expect(await pct(k)).toBeLessThanOrEqual(await pct(k - 1));
    expect(await pct(k)).toBeLessThanOrEqual(await pct(k + 1));
  });

  test("a saved AdapterHub adapter_config.json: its knob replaced, the file's other keys kept", async () => {
    const files = { "adapter_config.json": JSON.stringify({ config: { mh_adapter: true, output_adapter: true, reduction_factor: 16, non_linearity: "swish", original_ln_before: false, original_ln_after: true, residual_before_ln: true, ln_before: false, ln_after: false }, name: "houlsby", model_type: "bert", version: "adapters.1.2.0" }) };
    const r = await runCli(["budget", ...BERT, "--adapter", "adapter_config.json", "--max-trainable", "1790594", "--json"], { files });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).budget!.value).toBe(16);
    expect(json(r.stdout).rows[0]!.trainableParams).toBe(1_789_056 + 1_538);
  });

  test("nothing fits: exit 1, naming the smallest count; refusals and usage errors: exit 2", async () => {
    const none = await runCli(["budget", ...T5, "--method", "compacter", "--max-trainable", "100K"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no reduction_factor fits: reduction_factor=192 already exceeds the target");
    const size = await runCli(["budget", ...BERT, "--method", "seq_bn", "--max-adapter-size", "10MB"]);
    expect(size.code).toBe(2);
    expect(size.stderr).toContain("--max-adapter-size applies to PEFT adapters");
    const dtype = await runCli(["budget", ...BERT, "--method", "seq_bn", "--max-trainable", "1M", "--dtype", "bf16"]);
    expect(dtype.code).toBe(2);
    const union = await runCli(["budget", ...BERT, "--method", "mam", "--max-trainable", "1M"]);
    expect(union.code).toBe(2);
    expect(union.stderr).toContain("mam is a union of 2 AdapterHub configs (prefix_tuning + par_bn)");
    const knob = await runCli(["budget", ...BERT, "--method", "seq_bn", "--knob", "r", "--max-trainable", "1M"]);
    expect(knob.code).toBe(2);
    expect(knob.stderr).toContain('--knob: adapters:seq_bn has no option "r"');
  });

  test("an unknown method names the nearest PEFT or AdapterHub name", async () => {
    for (const cmd of [["budget", "--max-trainable", "1M"], ["sweep", "--r", "1,2"], ["memory"]]) {
      const r = await runCli([cmd[0]!, ...BERT, "--method", "houlsbi", ...cmd.slice(1)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('unknown method "houlsbi"');
      expect(r.stderr).toContain('did you mean "houlsby"?');
      expect(r.stderr).toContain("AdapterHub configs (adapters:<name> or the bare name): seq_bn, double_seq_bn");
    }
  });
});

describe("sweep on AdapterHub configs", { timeout: 60_000 }, () => {
  const SW = ["sweep", ...BERT, "--method", "adapters:seq_bn", "--reduction-factor", "2,4,8,16,32"];
  test("table, CSV, JSON and markdown: the vector's rf 16 count among them", async () => {
    const table = await runCli(SW);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/│\s+16 │\s+896,066 │/);
    expect(table.stdout).toContain("sweeping reduction_factor");
    const csv = await runCli([...SW, "--format", "csv"]);
    expect(csv.stdout.split("\r\n")[4]).toBe("bert-base-uncased,SEQ_CLS,adapters:seq_bn,reduction_factor,16,896066,110378306,109483778,0.811813509803276,0.8184463638074309,,");
    const report = json((await runCli([...SW, "--json"])).stdout);
    expect(report.sweep).toEqual({ knob: "reduction_factor", values: [2, 4, 8, 16, 32] });
    expect(report.rows.map((r) => r.trainableParams)).toEqual([7_093_250, 3_552_002, 1_781_378, 896_066, 453_410]);
    expect(report.rows.every((r) => r.library === "adapters")).toBe(true);
    const md = await runCli([...SW, "--format", "markdown"]);
    expect(md.stdout).toContain("| 16 | 896,066 | 0.8118 | 0.8184 |");
  });

  test("ranges, pow2, a config string; values AdapterHub refuses are skipped with the reason", async () => {
    const r = json((await runCli(["sweep", ...T5, "--method", "compacter++", "--reduction-factor", "30..32", "--json"])).stdout);
    expect(r.rows.map((x) => [x.options["reduction_factor"], x.trainableParams])).toEqual([[31, 57_088], [32, 57_088]]);
    expect(r.skipped?.[0]?.reason).toContain("not divisible by phm_dim 4");
    const p = json((await runCli(["sweep", ...BERT, "--method", "double_seq_bn[reduction_factor=8]", "--reduction-factor", "pow2:16..64", "--json"])).stdout);
    expect(p.rows[0]!.trainableParams).toBe(1_789_056 + 1_538);
    const r8 = json((await runCli(["sweep", ...BERT, "--method", "adapters:lora", "--r", "4,8", "--json"])).stdout);
    expect(r8.rows[1]!.trainableParams).toBe(296_450);
  });

  test("no values, --dtype, an option the config lacks: exit 2", async () => {
    const none = await runCli(["sweep", ...BERT, "--method", "houlsby"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--reduction-factor 2,4,8,16,32");
    expect((await runCli([...SW, "--dtype", "bf16"])).code).toBe(2);
    const r = await runCli(["sweep", ...BERT, "--method", "houlsby", "--r", "1,2"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--r: adapters:houlsby has no option "r"');
  });
});

describe("memory on AdapterHub configs", { timeout: 60_000 }, () => {
  test("trainable = AdapterHub's count; the frozen base as for every row; with PEFT rows", async () => {
    const r = await runCli(["memory", ...T5, "--method", "compacter", "--method", "lora", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = (JSON.parse(r.stdout) as { rows: { method: string; trainableParams: number; bytes: { weights: number; adapterTrainable: number; grads: number } }[] }).rows;
    const hub = rows.find((x) => x.method === "adapters:compacter")!;
    expect(hub.trainableParams).toBe(114_112);
    expect(hub.bytes.adapterTrainable).toBe(114_112 * 4);
    expect(hub.bytes.weights).toBe(rows.find((x) => x.method === "full")!.bytes.weights);
    expect(rows.map((x) => x.method)).toEqual(["full", "lora", "adapters:compacter"]);
  });

  test("a bf16 model: AdapterHub's adapters stay fp32 (torch's default dtype), unless --no-autocast-adapter-dtype", async () => {
    const bytes = async (extra: string[]) => {
      const r = await runCli(["memory", ...T5, "--method", "compacter", "--dtype", "bf16", ...extra, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain("AdapterHub creates its adapter tensors in torch's default dtype (fp32)");
      return (JSON.parse(r.stdout) as { rows: { method: string; bytes: { adapterTrainable: number } }[] }).rows.find((x) => x.method === "adapters:compacter")!.bytes.adapterTrainable;
    };
    expect(await bytes([])).toBe(114_112 * 4);
    expect(await bytes(["--no-autocast-adapter-dtype"])).toBe(114_112 * 2);
  });

  test("--methods with AdapterHub ids, and a saved AdapterHub file", async () => {
    const r = await runCli(["memory", ...BERT, "--methods", "lora,houlsby", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { rows: { method: string; trainableParams: number }[] }).rows.find((x) => x.method === "adapters:houlsby")?.trainableParams).toBe(1_789_056 + 1_538);
    const files = { "adapter_config.json": JSON.stringify({ config: { architecture: "lora", r: 8, alpha: 8, attn_matrices: ["q", "v"], selfattn_lora: true, intermediate_lora: false, output_lora: false }, name: "lora", model_type: "bert", version: "adapters.1.2.0" }) };
    const f = await runCli(["memory", ...BERT, "--adapter", "adapter_config.json", "--json"], { files });
    expect(f.code, f.stderr).toBe(0);
    expect((JSON.parse(f.stdout) as { rows: { method: string; trainableParams: number }[] }).rows[1]).toMatchObject({ method: "adapters:lora", trainableParams: 296_450 });
  });
});
