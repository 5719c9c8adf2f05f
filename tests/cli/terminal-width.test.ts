/**
 * Tables fit the terminal (issue 7): at 80 and 60 columns every table line of compare (AdapterHub's long titles
 * included), memory and count fits, numbers are never cut; prose lines are wrapped by the process entry
 * (src/cli/wrap-prose.ts, tested on its own), so only table lines are measured here.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { runCli } from "./fake-io.js";

const tableLines = (s: string) => s.split("\n").filter((l) => /[\u2500-\u257f]/.test(l));

beforeAll(() => runCli(["count"]), 60_000);

describe.each([80, 60])("%i columns", (columns) => {
  test.each([
    ["compare on an encoder (AdapterHub rows)", ["compare", "--model", "bert-base-uncased"], "1,790,594"],
    ["compare --size", ["compare", "--model", "llama-3.2-1b", "--size", "--dtype", "bf16"], "851,968"],
    ["memory", ["memory", "--model", "llama-3.2-1b"], "9.21 GiB"],
    ["count, AdapterHub", ["count", "--model", "bert-base-uncased", "--method", "houlsby"], "1,790,594"],
  ])("%s", async (_name, argv, number) => {
    const r = await runCli(argv, { isTTY: true, columns, env: { NO_COLOR: "1" } });
    expect(r.code).toBe(0);
    const lines = tableLines(r.stdout);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(columns);
    expect(r.stdout).toContain(number);
  });
});
