/**
 * Budget in both directions, checked against the count itself (not the search):
 * - the directed search (src/budget/directed.ts) against brute force over random monotone step functions,
 *   with random refused values (sparse knobs), both directions: the answer, its neighbour, the same-count run;
 *   and, for a dense growing knob, the same answer as search.ts (the PEFT knobs' search);
 * - AdapterHub's own count (src/adapters/count.ts countAdapterHub) at the answer k and at its neighbour:
 *   reduction_factor (falls as it grows: k fits, the nearest accepted factor below k does not, every factor
 *   between is refused) for seq_bn / double_seq_bn / par_bn / Compacter / Compacter++ on bert-base-uncased and
 *   t5-base; r (lora, loreft), prefix_length and prompt_length (grow: k fits, k + 1 does not).
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { countAdapterHub } from "../../src/adapters/count.js";
import { chooseAdapterHubContext } from "../../src/adapters/versions.js";
import { solveBudgetFor } from "../../src/budget/budget.js";
import { searchDirected } from "../../src/budget/directed.js";
import { adapterHubKnobsOf, type SizeKnob } from "../../src/budget/knobs.js";
import { searchLargest } from "../../src/budget/search.js";
import { adapterHubRow } from "../../src/cli/commands/adapterhub.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import type { Inventory } from "../../src/model/types.js";

/** a random non-decreasing metric over 1..n, and a random set of refused values */
const stepFunction = fc
  .record({ steps: fc.array(fc.integer({ min: 0, max: 3 }).map((x) => (x === 0 ? 0 : x * 7)), { minLength: 1, maxLength: 120 }), refused: fc.array(fc.boolean(), { maxLength: 120 }) })
  .map(({ steps, refused }) => {
    let s = 0;
    const metric = steps.map((d) => (s += d));
    return { metric, refused: metric.map((_, i) => refused[i] === true) };
  });

describe("the directed search against brute force", () => {
  test.prop([stepFunction, fc.boolean(), fc.boolean(), fc.integer({ min: -5, max: 900 })], { numRuns: 300 })("both directions, dense and sparse", ({ metric, refused }, down, sparse, limit) => {
    const n = metric.length;
    // down: the metric at v is the up metric mirrored, so it falls as v grows
    const at = (v: number) => (down ? metric[n - v]! : metric[v - 1]!);
    const isRefused = (v: number) => sparse && (down ? refused[n - v]! : refused[v - 1]!);
    const measure = (v: number) => {
      if (isRefused(v)) throw new InputError("REFUSED", `v=${v} refused`, "");
      return { result: at(v), metric: at(v) };
    };
    const valid = Array.from({ length: n }, (_, i) => i + 1).filter((v) => !isRefused(v));
    const fit = valid.filter((v) => at(v) <= limit);
    const r = searchDirected({ knob: "k", min: 1, max: n, measure, fits: (m) => m <= limit, direction: down ? "down" : "up", sparse });
    if (!down) {
      const best = fit.length ? Math.max(...fit) : undefined;
      expect(r.best?.value).toBe(best);
      expect(r.next?.value).toBe(best === undefined ? valid[0] : valid.find((v) => v > best));
    } else {
      const best = fit.length ? Math.min(...fit) : undefined;
      expect(r.best?.value).toBe(best);
      expect(r.next?.value).toBe(best === undefined ? valid.at(-1) : valid.filter((v) => v < best).at(-1));
    }
    if (r.best) {
      const run = valid.filter((v) => at(v) === r.best!.metric);
      const same = r.same ?? { from: r.best.value, to: r.best.value };
      // the run on the answer's far side: below it for up (values above do not fit), above it for down
      expect(down ? same.from : same.to).toBe(r.best.value);
      expect(down ? same.to : same.from).toBe(down ? Math.max(...run) : Math.min(...run));
    }
    if (!down && !sparse) {
      const old = searchLargest({ knob: "k", min: 1, max: n, measure, fits: (m) => m <= limit });
      expect(r.best?.value).toBe(old.best?.value);
      expect(r.next?.value).toBe(old.next?.value);
    }
  });

  test("a count that moves against the declared direction is refused", () => {
    const measure = (v: number) => ({ result: v <= 4 ? 100 - v : 100 + v, metric: v <= 4 ? 100 - v : 100 + v });
    expect(() => searchDirected({ knob: "rf", min: 1, max: 64, measure, fits: (m) => m <= 0, direction: "down", sparse: false })).toThrow("the count rises as rf grows (rf=4: 96, rf=8: 108)");
    expect(() => searchDirected({ knob: "rf", min: 1, max: 64, measure, fits: (m) => m <= 97, direction: "down", sparse: false })).toThrow(InputError);
  });
});

const CTX = chooseAdapterHubContext({});
const inv = (preset: string) => buildInventory(findPreset(preset)!.config, { transformers: CTX.transformers });
const BERT = inv("bert-base-uncased");
const T5 = inv("t5-base");

/** AdapterHub's count of `config` with the knob set, or undefined when AdapterHub refuses it */
function countAt(m: Inventory, config: string, key: string, v: number): number | undefined {
  try {
    return countAdapterHub(m, `${config}[${key}=${v}]`, CTX).trainable;
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

function solve(m: Inventory, config: string, knob: SizeKnob, max: number) {
  return solveBudgetFor({
    knob,
    target: { kind: "trainable", max },
    max: knob.endsAt?.(m) ?? 4096,
    sizes: false,
    evaluate: (v) => ({ row: adapterHubRow(m, { method: config, title: config, input: `${config}[${knob.key}=${v}]`, unfreezeLayerNorms: false }, CTX) }),
  });
}

describe.each([
  ["bert-base-uncased", BERT, "seq_bn"],
  ["bert-base-uncased", BERT, "double_seq_bn"],
  ["t5-base", T5, "par_bn"],
  ["t5-base", T5, "compacter"],
  ["t5-base", T5, "compacter++"],
] as const)("reduction_factor on %s, %s: the smallest factor that fits, against AdapterHub's count", (_, m, config) => {
  const knob = adapterHubKnobsOf(null)[0]!;
  const H = 768;
  const valid = Array.from({ length: H }, (_, i) => i + 1).filter((v) => countAt(m, config, "reduction_factor", v) !== undefined);
  const lo = countAt(m, config, "reduction_factor", valid.at(-1)!)!;
  const hi = countAt(m, config, "reduction_factor", valid[0]!)!;
  test.prop([fc.integer({ min: lo, max: hi })], { numRuns: 20 })("k fits, the accepted factor below k does not", (max) => {
    const { chosen, next } = solve(m, config, knob, max);
    const k = chosen!.value;
    expect(chosen!.row.trainableParams).toBe(countAt(m, config, "reduction_factor", k));
    expect(chosen!.row.trainableParams).toBeLessThanOrEqual(max);
    if (k === valid[0]) expect(next).toBeUndefined();
    else {
      const below = valid.filter((v) => v < k).at(-1)!;
      expect(next?.value).toBe(below);
      expect(countAt(m, config, "reduction_factor", below)!).toBeGreaterThan(max);
      for (let v = below + 1; v < k; v++) expect(countAt(m, config, "reduction_factor", v)).toBeUndefined();
    }
  });
  test("below the smallest count (rf ≥ H: d = 1) nothing fits, and that factor is named", () => {
    const r = solve(m, config, knob, lo - 1);
    expect(r.chosen).toBeUndefined();
    expect(r.next?.value).toBe(valid.at(-1));
  });
});

describe.each([
  ["bert-base-uncased", BERT, "lora", "lora"],
  ["bert-base-uncased", BERT, "loreft", "reft"],
  ["bert-base-uncased", BERT, "prefix_tuning", "prefix_tuning"],
  ["bert-base-uncased", BERT, "prompt_tuning", "prompt_tuning"],
  ["t5-base", T5, "prefix_tuning", "prefix_tuning"],
] as const)("growing knobs on %s, %s: the largest value that fits, against AdapterHub's count", (_, m, config, architecture) => {
  const knob = adapterHubKnobsOf(architecture)[0]!;
  const lo = countAt(m, config, knob.key, 1)!;
  const hi = countAt(m, config, knob.key, 300)!;
  test.prop([fc.integer({ min: lo, max: hi })], { numRuns: 15 })(`${knob.key}: k fits, k + 1 does not`, (max) => {
    const { chosen, next } = solve(m, config, knob, max);
    const k = chosen!.value;
    expect(chosen!.row.trainableParams).toBe(countAt(m, config, knob.key, k));
    expect(chosen!.row.trainableParams).toBeLessThanOrEqual(max);
    expect(next?.value).toBe(k + 1);
    expect(countAt(m, config, knob.key, k + 1)!).toBeGreaterThan(max);
  });
});
