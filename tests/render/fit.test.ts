/** Tables fit a given width: steps in order (abbreviate, drop, cut with "…"); numbers are never cut. */
import { Chalk } from "chalk";
import { describe, expect, test } from "vitest";
import { grid } from "../../src/render/grid.js";
import { renderModelsTable } from "../../src/render/lists.js";

const c = new Chalk({ level: 0 });
const width = (t: string) => Math.max(...t.split("\n").map((l) => l.length));
const HEAD = ["Name", "Note", "Count"];
const ROWS = [
  ["model.layers.*.self_attn.q_proj", "a long note that can be cut or dropped", "1,234,567,890"],
  ["lm_head", "short", "7"],
];

describe("grid fitting", () => {
  test("no width: nothing changes", () => {
    expect(grid(HEAD, ["left", "left", "right"], ROWS, c)).toBe(grid(HEAD, ["left", "left", "right"], ROWS, c, { width: undefined }));
  });

  test("steps apply in order until the table fits", () => {
    const full = grid(HEAD, ["left", "left", "right"], ROWS, c);
    const cut = grid(HEAD, ["left", "left", "right"], ROWS, c, { width: width(full) - 10, steps: [{ shrink: 1 }, { drop: 1 }] });
    expect(width(cut)).toBe(width(full) - 10);
    expect(cut).toContain("…");
    expect(cut).toContain("1,234,567,890");
    const dropped = grid(HEAD, ["left", "left", "right"], ROWS, c, { width: 50, steps: [{ abbreviate: 0, with: (s) => s.replace("model.layers.*.", "") }, { drop: 1 }] });
    expect(dropped).not.toContain("Note");
    expect(dropped).toContain("self_attn.q_proj");
    expect(width(dropped)).toBeLessThanOrEqual(50);
  });

  test("droppable / shrinkable still work as before", () => {
    const t = grid(HEAD, ["left", "left", "right"], ROWS, c, { width: 40, droppable: [1] });
    expect(t).not.toContain("Note");
  });

  test("models at 80 columns", () => {
    const t = renderModelsTable([{ id: "llama-3-8b", modelType: "llama", publishedParams: 8_030_261_248, aliases: ["meta-llama/Meta-Llama-3-8B", "meta-llama/Meta-Llama-3-8B-Instruct"], source: "" }], c, 60);
    expect(width(t)).toBeLessThanOrEqual(60);
    expect(t).toContain("8,030,261,248");
  });
});
