/** `peftcount transforms`: the listing of --transform's transforms (papers, counts, exactness, options). */
import { describe, expect, test } from "vitest";
import { runCli } from "./fake-io.js";

describe("transforms", { timeout: 60_000 }, () => {
  test("table: each transform with its paper, count, exactness and options", async () => {
    const r = await runCli(["transforms"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("prune  Structured pruning (heads, FFN channels)  (LLM-Pruner");
    expect(r.stdout).toContain("  exact: exact (the rank rule, the bias on the second factor and the < 10 outputs skip are PELA's code)");
    expect(r.stdout).toMatch(/^ {2}gqa= {7}auto {5}groups: whole KV groups/m);
    expect(r.stdout).toMatch(/^ {2}c= {9}required compression: budget/m);
  });

  test("--json lists every transform with its options", async () => {
    const r = await runCli(["transforms", "--json"]);
    const { transforms } = JSON.parse(r.stdout) as { transforms: { id: string; options: { key: string }[] }[] };
    expect(transforms.map((t) => t.id)).toEqual(["prune", "factorize", "share", "hash"]);
    expect(transforms[0]!.options.map((o) => o.key)).toEqual(["heads", "ffn", "gqa", "layers"]);
  });

  test("the unknown-transform hint points here", async () => {
    const r = await runCli(["count", "--model", "gpt2", "--transform", "hashh c=0.1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hint: did you mean "hash"? transforms: prune, factorize, share, hash (see "peftcount transforms")');
  });
});

describe("transforms --json contract", { timeout: 60_000 }, () => {
  test("the payload parses with its schema, and `schema transforms` prints it", async () => {
    const { transformsReportSchema } = await import("../../src/report/transforms.js");
    const r = await runCli(["transforms", "--json"]);
    expect(() => transformsReportSchema.parse(JSON.parse(r.stdout))).not.toThrow();
    const s = await runCli(["schema", "transforms"]);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ type: "object", required: ["schemaVersion", "transforms"] });
  });
});
