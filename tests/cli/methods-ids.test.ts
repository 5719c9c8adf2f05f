/** `peftcount methods ID...`: only the named methods, with their options (as --verbose); unknown ids are usage errors. */
import { describe, expect, test } from "vitest";
import { methodsReportSchema } from "../../src/report/methods.js";
import { expectError, runCli } from "./fake-io.js";

describe("methods with ids", () => {
  test("methods lora dora: two listings with their options, in the order asked", async () => {
    const r = await runCli(["methods", "dora", "lora", "--json"]);
    expect(r.code).toBe(0);
    const { methods } = methodsReportSchema.parse(JSON.parse(r.stdout));
    expect(methods.map((m) => m.id)).toEqual(["dora", "lora"]);
    expect(methods[1]!.options.find((o) => o.key === "r")).toMatchObject({ default: 8 });
  });

  test("a table for one id shows its formula and options without --verbose", async () => {
    const r = await runCli(["methods", "parscale"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^parscale {2}ParScale/m);
    expect(r.stdout).toContain("--parscale-n ");
    expect(r.stdout).not.toMatch(/^lora /m);
  });

  test("AdapterHub configs by name, with or without adapters:", async () => {
    const r = await runCli(["methods", "compacter", "adapters:seq_bn", "--json"]);
    expect(methodsReportSchema.parse(JSON.parse(r.stdout)).methods.map((m) => m.id)).toEqual(["adapters:compacter", "adapters:seq_bn"]);
  });

  test("an unknown id: exit 2 with the nearest id", async () => {
    expectError(await runCli(["methods", "lorra"]), 2, 'unknown method "lorra"', 'did you mean "lora"? run "peftcount methods" for the list');
  });
});

test("the ParScale paper's P and T point at the code's key names", async () => {
  expectError(await runCli(["count", "--model", "qwen2.5-3b", "--method", "parscale P=2"]), 2, '--method "parscale P=2": parscale has no option "P"', /^hint: did you mean "parscale_n"\?/);
});
