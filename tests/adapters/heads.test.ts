/**
 * AdapterHub's flexible heads (add_classification_head & co.) on the bare model, through the CLI in-process.
 * No vector has a head: the numbers are derived in the test from adapters src/adapters/heads/base.py
 * PredictionHead.build (k − 1 Linear(H, H) with bias, then Linear(H, labels) with bias) and
 * heads/language_modeling.py CausalLMHead.build (k − 1 × [Linear(H, E) + LayerNorm(E)], then Linear(E, vocab)
 * = the output embeddings, tied when the config ties them and frozen by train_adapter's freeze_embeddings),
 * main 88f18eb; the adapter counts are the vectors' (adapters12-seq-bn-bert-base-uncased: 894,528).
 */
import { describe, expect, test } from "vitest";
import { expectError, runCli } from "../cli/fake-io.js";

const json = async (argv: string[]) => {
  const r = await runCli([...argv, "--json"]);
  expect(r.stderr.split("\n").filter((l) => l.startsWith("error")).join("\n")).toBe("");
  return JSON.parse(r.stdout) as { model: { task: string }; rows: { trainableParams: number; allParams: number; baseParams: number; options: Record<string, unknown>; adapterSummary: { params: number; fullModel: number } }[] };
};
const BERT = 109_482_240; // BertModel, the body of BertAdapterModel (pooler included)
const SEQ_BN = 894_528;

describe("flexible heads", { timeout: 60_000 }, () => {
  test("classification: 2 layers by default, Linear(H, H) + Linear(H, num_labels), both with bias; it trains", async () => {
    const head = 768 * 768 + 768 + 768 * 3 + 3;
    const out = await json(["count", "--model", "bert-base-uncased", "--method", "adapters:seq_bn head=classification num_labels=3"]);
    expect(out.model.task).toBe("FEATURE_EXTRACTION");
    expect(out.rows[0]).toMatchObject({ trainableParams: SEQ_BN + head, allParams: BERT + SEQ_BN + head, baseParams: BERT, options: { head: { type: "classification", num_labels: 3 } } });
    // adapter_summary() counts the adapter over base_model: the head is in neither
    expect(out.rows[0]!.adapterSummary).toEqual({ params: SEQ_BN, fullModel: BERT, percentParam: (100 * SEQ_BN) / BERT });
  });
  test("--head / --head-layers / --num-labels flags, on a config string too; multilabel has classification's layers", async () => {
    const one = 768 * 5 + 5;
    expect((await json(["count", "--model", "bert-base-uncased", "--method", "seq_bn", "--head", "classification", "--head-layers", "1", "--num-labels", "5"])).rows[0]!.trainableParams).toBe(SEQ_BN + one);
    expect((await json(["count", "--model", "bert-base-uncased", "--method", "seq_bn|lora", "--head", "multilabel_classification", "--num-labels", "5"])).rows[0]!.trainableParams).toBe(SEQ_BN + 294_912 + 768 * 768 + 768 + one);
  });
  test("tagging and question answering: 1 layer; multiple choice: 2 layers into one logit", async () => {
    const count = async (head: string) => (await json(["count", "--model", "bert-base-uncased", "--method", `adapters:seq_bn head=${head}`])).rows[0]!.trainableParams - SEQ_BN;
    expect(await count("tagging")).toBe(768 * 2 + 2);
    expect(await count("question_answering")).toBe(768 * 2 + 2);
    expect(await count("multiple_choice")).toBe(768 * 768 + 768 + 768 + 1);
  });
  test("causal_lm on tied Llama 3.2 1B: Linear(H, E) + LayerNorm train, the tied output embeddings and their new bias are frozen", async () => {
    const r = (await json(["count", "--model", "llama-3.2-1b", "--method", "adapters:lora head=causal_lm"])).rows[0]!;
    const dense = 2048 * 2048 + 2048 + 2 * 2048;
    expect(r.trainableParams).toBe(851_968 + dense); // adapters12-lora-llama-3.2-1b
    expect(r.allParams).toBe(r.baseParams + 851_968 + dense + 128_256);
  });
  test("masked_lm on BERT (tied), seq2seq_lm on mT5 (untied: a new frozen vocab × d_model matrix)", async () => {
    const mlm = (await json(["count", "--model", "bert-base-uncased", "--method", "adapters:seq_bn head=masked_lm"])).rows[0]!;
    expect(mlm.trainableParams).toBe(SEQ_BN + 768 * 768 + 768 + 2 * 768);
    expect(mlm.allParams).toBe(BERT + SEQ_BN + 768 * 768 + 768 + 2 * 768 + 30_522);
    const mt5 = (await json(["count", "--model", "mt5-base", "--method", "adapters:seq_bn head=seq2seq_lm"])).rows[0]!;
    const plain = (await json(["count", "--model", "mt5-base", "--task", "FEATURE_EXTRACTION", "--method", "adapters:seq_bn"])).rows[0]!;
    expect(mt5.trainableParams).toBe(plain.trainableParams);
    expect(mt5.allParams).toBe(plain.allParams + 250_112 * 768);
  });
  test("compare (on the bare model) and check take a head too", async () => {
    const head = 768 * 768 + 768 + 768 * 3 + 3;
    const cmp = await json(["compare", "--model", "bert-base-uncased", "--task", "FEATURE_EXTRACTION", "--method", "adapters:seq_bn head=classification num_labels=3"]);
    expect(cmp.rows.map((r) => r.trainableParams)).toEqual([BERT, SEQ_BN + head]);
    const chk = await runCli(["check", "--model", "bert-base-uncased", "--method", "adapters:seq_bn head=classification num_labels=3", "--max-trainable", String(SEQ_BN + head - 1), "--json"]);
    expect(JSON.parse(chk.stdout).rows[0].trainableParams).toBe(SEQ_BN + head);
    expect(JSON.parse(chk.stdout).check.pass).toBe(false);
    expectError(await runCli(["compare", "--model", "bert-base-uncased", "--method", "adapters:seq_bn head=classification"]), 1, /not on a SEQ_CLS model/, "use --task FEATURE_EXTRACTION");
  });
  test("refusals: a head type the AdapterModel lacks, the plugin interface, a task model, a head without a type", async () => {
    expectError(await runCli(["count", "--model", "t5-base", "--method", "adapters:seq_bn head=tagging"]), 1, /t5 AdapterModel has no tagging head \(head_types: classification, multilabel_classification, question_answering, seq2seq_lm\)/, "use one of");
    expectError(await runCli(["count", "--model", "qwen2.5-0.5b", "--method", "adapters:seq_bn head=classification"]), 1, /plugin interface, which has no AdapterModel class/, /head=/);
    expectError(await runCli(["count", "--model", "bert-base-uncased", "--task", "SEQ_CLS", "--method", "houlsby", "--head", "classification"]), 2, /not on a --task SEQ_CLS model/, "leave --task out");
    expectError(await runCli(["count", "--model", "bert-base-uncased", "--method", "adapters:seq_bn head_layers=2"]), 2, /name its type with head=<type>/, "head types: ");
    expectError(await runCli(["count", "--model", "bert-base-uncased", "--method", "adapters:seq_bn head=pooler"]), 1, 'unknown AdapterHub head type "pooler"', "head types: ");
    expectError(await runCli(["count", "--model", "bert-base-uncased", "--method", "adapters:seq_bn head=dependency_parsing"]), 1, "AdapterHub's dependency_parsing head is not modelled by peftcount", "head types peftcount counts: ");
  });
});
