/**
 * `memory --compat accelerate` prints what `accelerate estimate-memory` prints. Expected tables: accelerate 1.15.0
 * + transformers 5.18.0 in the oracle's venv, the model built from the same config on the meta device
 * (AutoModel.from_config under init_empty_weights), then estimate.py's gather_data / create_ascii_table. The
 * bert-base-cased figures are accelerate's documented ones: total 433,249,280 B, largest layer (BertEmbeddings with
 * its position_ids / token_type_ids buffers) 90,669,056 B.
 */
import { describe, expect, test } from "vitest";
import { asciiTable, convertBytes } from "../../src/memory/accelerate.js";
import { findPreset } from "../../src/model/presets/index.js";
import { runCli } from "../cli/fake-io.js";

const bertCased = JSON.stringify({ ...findPreset("bert-base-uncased")!.config, vocab_size: 28996, _name_or_path: "bert-base-cased" });
const llama2 = JSON.stringify({ ...findPreset("llama-2-7b")!.config, _name_or_path: "meta-llama/Llama-2-7b-hf" });

describe("accelerate estimate-memory", { timeout: 30_000 }, () => {
  test("bert-base-cased", async () => {
    const r = await runCli(["memory", "--model", "bert/config.json", "--compat", "accelerate"], { files: { "bert/config.json": bertCased } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "┌────────────────────────────────────────────────────┐",
        "│     Memory Usage for loading `bert-base-cased`     │",
        "├───────┬─────────────┬──────────┬───────────────────┤",
        "│ dtype │Largest Layer│Total Size│Training using Adam│",
        "├───────┼─────────────┼──────────┼───────────────────┤",
        "│float32│   86.47 MB  │413.18 MB │      1.61 GB      │",
        "│float16│   43.23 MB  │206.59 MB │     826.36 MB     │",
        "│  int8 │   21.62 MB  │103.29 MB │        N/A        │",
        "│  int4 │   10.81 MB  │ 51.65 MB │        N/A        │",
        "└───────┴─────────────┴──────────┴───────────────────┘",
        "",
      ].join("\n"),
    );
    const j = JSON.parse((await runCli(["memory", "--model", "bert/config.json", "--compat", "accelerate", "--json"], { files: { "bert/config.json": bertCased } })).stdout);
    expect(j).toMatchObject({ totalBytes: 433_249_280, largestLayerBytes: 90_669_056, exact: true });
  });
  test("Llama-2-7B (LlamaModel: 26,429,374,976 B with the two rotary buffers; a decoder layer 809,533,440 B)", async () => {
    const r = await runCli(["memory", "--model", "llama/config.json", "--compat", "accelerate"], { files: { "llama/config.json": llama2 } });
    expect(r.stdout).toBe(
      [
        "┌──────────────────────────────────────────────────────────┐",
        "│   Memory Usage for loading `meta-llama/Llama-2-7b-hf`    │",
        "├───────┬─────────────┬──────────┬─────────────────────────┤",
        "│ dtype │Largest Layer│Total Size│   Training using Adam   │",
        "├───────┼─────────────┼──────────┼─────────────────────────┤",
        "│float32│  772.03 MB  │ 24.61 GB │         98.46 GB        │",
        "│float16│  386.02 MB  │ 12.31 GB │         49.23 GB        │",
        "│  int8 │  193.01 MB  │ 6.15 GB  │           N/A           │",
        "│  int4 │   96.5 MB   │ 3.08 GB  │           N/A           │",
        "└───────┴─────────────┴──────────┴─────────────────────────┘",
        "",
      ].join("\n"),
    );
  });
});

test("convert_bytes: str(round(x, 2)) keeps one decimal, rounds half to even", () => {
  expect(convertBytes(809_533_440n, 8n)).toBe("96.5 MB");
  expect(convertBytes(1023n)).toBe("1023.0 bytes");
  expect(asciiTable(["a"], [["b"]], "t")).toBe("┌─┐\n│t│\n├─┤\n│a│\n├─┤\n│b│\n└─┘");
});
