/**
 * Property tests of the scaling / norm / selection family (IA3, LN tuning, trainable tokens, Poly) on random
 * small models (tests/model/arbitraries.ts): exact safe integers, Σ parts = trainable, allParams = base +
 * what the method adds, monotone in the size knobs and in the target list, targets matching nothing are an
 * error (never a silent 0). Invariants only, beside the per-method golden numbers.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { ia3 } from "../../formulas/peft/ia3.js";
import { lnTuning } from "../../formulas/peft/ln-tuning.js";
import { poly } from "../../formulas/peft/poly.js";
import { trainableTokens } from "../../formulas/peft/trainable-tokens.js";
import { evaluate, type Formula, type ParamBreakdown } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { embeddingOf, featuresOf, moduleParams, totalParams, type Inventory, type ModuleKind } from "../../src/model/types.js";
import { anyConfig, PER_LAYER_TARGETS, withLayers } from "../model/arbitraries.js";

const RUNS = { numRuns: 100 };
const last = (name: string) => name.split(".").pop()!;
const count = (f: Formula, inv: Inventory, raw: Record<string, unknown>): ParamBreakdown => evaluate(f, inv, raw).breakdown;

/** Last names all of whose modules are of the given kinds. */
function namesOf(inv: Inventory, kinds: readonly ModuleKind[]): string[] {
  const byName = new Map<string, boolean>();
  for (const m of inv.modules) byName.set(last(m.name), (byName.get(last(m.name)) ?? true) && kinds.includes(m.kind));
  return [...byName].filter(([, ok]) => ok).map(([n]) => n);
}
const wrappedBy = (inv: Inventory, targets: readonly string[]) => inv.modules.filter((m) => targets.includes(last(m.name)));

function sane(b: ParamBreakdown, inv: Inventory): void {
  for (const n of [b.trainable, b.allParams, ...b.parts.map((p) => p.count)]) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
  expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
  expect(b.allParams - totalParams(inv.modules)).toBe(b.trainable);
}

const model = (kinds: readonly ModuleKind[]) =>
  anyConfig
    .map((cfg) => ({ cfg, inv: buildInventory(cfg) }))
    .map((m) => ({ ...m, names: namesOf(m.inv, kinds) }))
    .filter((m) => m.names.length > 0)
    .chain((m) => fc.record({ m: fc.constant(m), targets: fc.subarray(m.names, { minLength: 1 }), extra: fc.constantFrom(...m.names) }));

describe("ia3", () => {
  const linear = model(["linear", "conv1d"]);
  test.prop([linear], RUNS)("no feed-forward: Σ d_out; all feed-forward: Σ d_in; any split in between; monotone in targets", ({ m, targets, extra }) => {
    const wrapped = wrappedBy(m.inv, targets);
    const none = count(ia3, m.inv, { target_modules: targets, feedforward_modules: [] });
    const all = count(ia3, m.inv, { target_modules: targets, feedforward_modules: targets });
    sane(none, m.inv);
    sane(all, m.inv);
    expect(none.trainable).toBe(wrapped.reduce((s, x) => s + featuresOf(x).outFeatures, 0));
    expect(all.trainable).toBe(wrapped.reduce((s, x) => s + featuresOf(x).inFeatures, 0));
    const some = count(ia3, m.inv, { target_modules: targets, feedforward_modules: targets.slice(0, 1) });
    sane(some, m.inv);
    const more = [...new Set([...targets, extra])];
    expect(count(ia3, m.inv, { target_modules: more, feedforward_modules: [] }).trainable).toBeGreaterThanOrEqual(none.trainable);
    if (!targets.includes(extra)) expect(count(ia3, m.inv, { target_modules: more, feedforward_modules: [] }).trainable).toBeGreaterThan(none.trainable);
  });

  test.prop([anyConfig, fc.integer({ min: 1, max: 8 })], RUNS)("linear in the layer count on per-layer targets", (cfg, n) => {
    const targets = [...PER_LAYER_TARGETS[cfg.model_type]!];
    const at = (k: number) => count(ia3, buildInventory(withLayers(cfg, k)), { target_modules: targets, feedforward_modules: targets.slice(-1) }).trainable;
    expect(at(n)).toBe(n * at(1));
  });
});

describe("poly", () => {
  const linear = model(["linear"]);
  const knobs = fc.record({ r: fc.integer({ min: 1, max: 8 }), n_skills: fc.integer({ min: 1, max: 4 }), n_tasks: fc.integer({ min: 1, max: 4 }), n_splits: fc.integer({ min: 1, max: 3 }) });
  test.prop([linear, knobs], RUNS)("safe, Σ parts; strictly monotone in r, n_skills, n_tasks; with one split the LoRA bank is linear in r", ({ m, targets }, k) => {
    const at = (o: Partial<typeof k>) => count(poly, m.inv, { target_modules: targets, ...k, ...o });
    const base = at({});
    sane(base, m.inv);
    expect(at({ n_tasks: k.n_tasks + 1 }).trainable).toBeGreaterThan(base.trainable);
    // ⌊d / n_splits⌋ may be 0 on these tiny models: then only the router grows with r and n_skills
    expect(at({ r: k.r + 1 }).trainable).toBeGreaterThanOrEqual(base.trainable);
    expect(at({ n_skills: k.n_skills + 1 }).trainable).toBeGreaterThan(base.trainable);
    const routers = (o: { n_tasks: number; n_skills: number }) => wrappedBy(m.inv, targets).length * o.n_tasks * o.n_skills;
    const one = at({ n_splits: 1 }).trainable - routers(k);
    const two = at({ n_splits: 1, r: 2 * k.r }).trainable - routers(k);
    expect(two).toBe(2 * one);
  });
});

describe("ln-tuning", () => {
  const norms = model(["norm"]);
  test.prop([norms], RUNS)("trains a copy of each targeted norm: Σ their parameters; monotone in targets", ({ m, targets, extra }) => {
    const b = count(lnTuning, m.inv, { target_modules: targets });
    sane(b, m.inv);
    expect(b.trainable).toBe(wrappedBy(m.inv, targets).reduce((s, x) => s + moduleParams(x), 0));
    expect(b.parts.every((p) => p.kind === "copy")).toBe(true);
    expect(count(lnTuning, m.inv, { target_modules: [...new Set([...targets, extra])] }).trainable).toBeGreaterThanOrEqual(b.trainable);
  });
});

describe("trainable-tokens", () => {
  test.prop([anyConfig, fc.integer({ min: 1, max: 6 })], RUNS)("linear in the number of indices; the tied head adds nothing", (cfg, k) => {
    const inv = buildInventory(cfg);
    const rows = embeddingOf(inv.modules.find((m) => m.name === inv.inputEmbeddings)!).numEmbeddings;
    const indices = Array.from({ length: k }, (_, i) => i % rows);
    const one = count(trainableTokens, inv, { token_indices: [0] });
    const many = count(trainableTokens, inv, { token_indices: indices });
    sane(many, inv);
    expect(many.trainable).toBe(k * one.trainable);
    expect(one.trainable).toBe(embeddingOf(inv.modules.find((m) => m.name === inv.inputEmbeddings)!).embeddingDim);
  });
});

describe("targets matching nothing are an error, never 0", () => {
  test.prop([anyConfig, fc.constantFrom<Formula>(ia3, lnTuning, poly, trainableTokens)], RUNS)("an unknown name and an empty regex match", (cfg, f) => {
    const inv = buildInventory(cfg);
    const extra = f === ia3 ? { feedforward_modules: [] } : f === trainableTokens ? { token_indices: [0] } : {};
    expect(() => count(f, inv, { target_modules: ["no_such_module"], ...extra })).toThrow(InputError);
    expect(() => count(f, inv, { target_modules: "no_such_module\\..*", ...extra })).toThrow(InputError);
  });
});
