/**
 * Prose wrapping on a terminal (src/cli/wrap-prose.ts): notes wrap at word boundaries to the width, tables and
 * markdown rows are left alone, colour escapes take no width, nothing is lost.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { wrapProse } from "../../src/cli/wrap-prose.js";

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

describe("wrapProse", () => {
  test("a long note wraps at spaces with a hanging indent; short lines and tables are unchanged", () => {
    const note = "note: AdapterHub rows follow AdapterHub's convention (train_adapter): adapters 1.2.0 on transformers 4.57.6";
    const table = "│ LoRA │ r=8 target_modules=q_proj,v_proj,k_proj,o_proj,gate_proj,up_proj,down_proj │ 3,407,872 │";
    const out = wrapProse(["short", note, table, "| md | row | that is rather long and must stay on one line as markdown |"].join("\n"), 40);
    expect(out.split("\n")).toEqual([
      "short",
      "note: AdapterHub rows follow",
      "  AdapterHub's convention",
      "  (train_adapter): adapters 1.2.0 on",
      "  transformers 4.57.6",
      table,
      "| md | row | that is rather long and must stay on one line as markdown |",
    ]);
  });

  test("colour escapes take no width; an indented line keeps its indent", () => {
    const out = wrapProse(`  \x1b[2mone two three four five six seven\x1b[22m`, 20);
    expect(strip(out).split("\n")).toEqual(["  one two three four", "    five six seven"]);
  });

  test("no width (piped) or an absurd one: unchanged", () => {
    const long = "word ".repeat(50);
    expect(wrapProse(long, undefined)).toBe(long);
    expect(wrapProse(long, 5)).toBe(long);
  });

  test.prop([fc.array(fc.stringMatching(/^[a-z,.()=]{1,12}$/), { minLength: 1, maxLength: 40 }), fc.integer({ min: 20, max: 120 })])(
    "words are kept in order and every wrapped line fits (no word is longer than the width)",
    (words, width) => {
      const out = wrapProse(`note: ${words.join(" ")}`, width);
      expect(out.split(/\s+/).filter(Boolean)).toEqual(["note:", ...words]);
      for (const l of out.split("\n")) expect(l.length).toBeLessThanOrEqual(width);
    },
  );
});
