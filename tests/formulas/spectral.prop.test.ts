/**
 * Property tests of the spectral / sparse family (FourierFT, WaveFT, SHiRA, PEANuT, OSF, AdaMSS, BEFT, DEFT,
 * Super-Tuning, ShadowPEFT) on random small models (tests/model/arbitraries.ts): exact safe integers,
 * Σ parts = trainable, everything added trains, linearity in the layer count, each method's size knob,
 * targets matching nothing are an error, echoed options count the same. Invariants only.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { adamss } from "../../formulas/peft/adamss.js";
import { beft } from "../../formulas/peft/beft.js";
import { deft } from "../../formulas/peft/deft.js";
import { fourierft } from "../../formulas/peft/fourierft.js";
import { osf } from "../../formulas/peft/osf.js";
import { peanut } from "../../formulas/peft/peanut.js";
import { shadow } from "../../formulas/peft/shadow.js";
import { shira } from "../../formulas/peft/shira.js";
import { supertuning } from "../../formulas/peft/supertuning.js";
import { waveft } from "../../formulas/peft/waveft.js";
import { evaluate, type Formula, type ParamBreakdown } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { totalParams, type Inventory } from "../../src/model/types.js";
import { DEFAULT_VERSIONS } from "../../src/versions.js";
import { bertConfig, LLAMA_LIKE_TYPES, llamaLikeConfig, PER_LAYER_TARGETS, t5Config, withLayers, type RawCfg } from "../model/arbitraries.js";

const RUNS = { numRuns: 60 };
const small = fc.integer({ min: 1, max: 8 });

type Options = Record<string, unknown>;
/** How the count moves when the knob grows: exactly doubles, never drops, never rises. */
type Knob = { readonly grow: (o: Options) => Options; readonly relation: "double" | "ge" | "le" };

/** More frozen directions for OSF: an integer rank + 1; the default (half) or a fraction → 0.99 of min(d_out, d_in). */
const growRank = (k: number | null) => (k !== null && k >= 1 ? k + 1 : 0.99);

/** Each per-module method, options valid on any Linear (or refused by PEFT as OPTION_OUT_OF_RANGE), and its size knob. */
const METHODS: readonly { f: Formula; options: fc.Arbitrary<Options>; knob: Knob }[] = [
  { f: fourierft, options: fc.record({ n_frequency: small }), knob: { grow: (o) => ({ ...o, n_frequency: 2 * (o["n_frequency"] as number) }), relation: "double" } },
  { f: waveft, options: fc.record({ n_frequency: small, wavelet_family: fc.constantFrom("db1", "sym4", "coif2") }), knob: { grow: (o) => ({ ...o, n_frequency: 2 * (o["n_frequency"] as number) }), relation: "double" } },
  { f: shira, options: fc.record({ r: small, mask_type: fc.constantFrom("random", "custom") }), knob: { grow: (o) => ({ ...o, r: 2 * (o["r"] as number) }), relation: "double" } },
  { f: peanut, options: fc.record({ r: small, depth: fc.integer({ min: 0, max: 3 }) }), knob: { grow: (o) => ({ ...o, r: 2 * (o["r"] as number), depth: (o["depth"] as number) + 1 }), relation: "ge" } },
  { f: osf, options: fc.record({ effective_rank: fc.option(fc.oneof(small, fc.constantFrom(0.25, 0.5, 0.75)), { nil: null }) }), knob: { grow: (o) => ({ ...o, effective_rank: growRank(o["effective_rank"] as number | null) }), relation: "le" } },
  { f: adamss, options: fc.record({ r: small, num_subspaces: small }), knob: { grow: (o) => ({ ...o, r: (o["r"] as number) + 3, num_subspaces: (o["num_subspaces"] as number) + 1 }), relation: "ge" } },
  { f: beft, options: fc.constant({}), knob: { grow: (o) => o, relation: "ge" } },
  { f: deft, options: fc.record({ r: small, para: fc.boolean() }), knob: { grow: (o) => ({ ...o, r: 2 * (o["r"] as number), para: false }), relation: "ge" } },
  { f: supertuning, options: fc.record({ sparsity: fc.constantFrom(0, 0.1, 0.5, 0.9), r: fc.option(small, { nil: null }) }), knob: { grow: (o) => ({ ...o, sparsity: (o["sparsity"] as number) / 2 }), relation: "ge" } },
];

/** Models whose per-layer targets are all Linear (GPT-2's Conv1D is refused by the nn.Linear-only methods). */
const linearConfig: fc.Arbitrary<RawCfg> = fc.oneof(...LLAMA_LIKE_TYPES.map(llamaLikeConfig), bertConfig, t5Config);
const targeted = linearConfig.chain((cfg) => fc.record({ cfg: fc.constant(cfg), targets: fc.subarray([...PER_LAYER_TARGETS[cfg.model_type]!], { minLength: 1 }) }));
const method = fc.constantFrom(...METHODS);
const anyCase = fc.tuple(targeted, method).chain(([t, m]) => fc.record({ t: fc.constant(t), m: fc.constant(m), options: m.options }));

/** Count, or undefined where PEFT refuses a size for this model (more coefficients or entries than weights, an effective rank of 0, ...). */
function tryCount(f: Formula, inv: Inventory, raw: Options): ParamBreakdown | undefined {
  try {
    return evaluate(f, inv, raw, DEFAULT_VERSIONS).breakdown;
  } catch (e) {
    if (e instanceof InputError && e.code === "OPTION_OUT_OF_RANGE") return undefined;
    throw e;
  }
}

function wellFormed(b: ParamBreakdown, inv: Inventory): void {
  for (const n of [b.trainable, b.allParams, ...b.parts.map((p) => p.count)]) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
  expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
  expect(b.allParams).toBe(totalParams(inv.modules) + b.trainable);
}

describe("every per-module method of the family on random Linear targets", () => {
  test.prop([anyCase], RUNS)("safe integers, Σ parts = trainable, allParams = base + trainable; echoed options count the same", ({ t, m, options }) => {
    const inv = buildInventory(t.cfg);
    const raw = { ...options, target_modules: t.targets };
    const b = tryCount(m.f, inv, raw);
    fc.pre(b !== undefined);
    wellFormed(b!, inv);
    const echoed = evaluate(m.f, inv, raw).options;
    expect(evaluate(m.f, inv, JSON.parse(JSON.stringify(echoed)) as Options).breakdown).toEqual(b);
  });

  test.prop([anyCase, small], RUNS)("linear in num_hidden_layers on per-layer targets", ({ t, m, options }, layers) => {
    const count = (n: number) => tryCount(m.f, buildInventory(withLayers(t.cfg, n)), { ...options, target_modules: t.targets });
    const one = count(1);
    fc.pre(one !== undefined);
    expect(count(layers)!.trainable).toBe(layers * one!.trainable);
  });

  test.prop([anyCase], RUNS)("the size knob moves the count the right way", ({ t, m, options }) => {
    const inv = buildInventory(t.cfg);
    const before = tryCount(m.f, inv, { ...options, target_modules: t.targets });
    const after = tryCount(m.f, inv, { ...m.knob.grow(options), target_modules: t.targets });
    fc.pre(before !== undefined && after !== undefined);
    if (m.knob.relation === "double") expect(after!.trainable).toBe(2 * before!.trainable);
    else if (m.knob.relation === "ge") expect(after!.trainable).toBeGreaterThanOrEqual(before!.trainable);
    else expect(after!.trainable).toBeLessThanOrEqual(before!.trainable);
  });

  test.prop([anyCase], RUNS)("adding a target module never decreases the count", ({ t, m, options }) => {
    const inv = buildInventory(t.cfg);
    const all = [...PER_LAYER_TARGETS[t.cfg.model_type]!];
    const some = tryCount(m.f, inv, { ...options, target_modules: t.targets });
    const more = tryCount(m.f, inv, { ...options, target_modules: all });
    fc.pre(some !== undefined && more !== undefined);
    expect(more!.trainable).toBeGreaterThanOrEqual(some!.trainable);
  });

  test.prop([anyCase], RUNS)("targets matching nothing are an error, not 0", ({ t, m, options }) => {
    const inv = buildInventory(t.cfg);
    expect(() => evaluate(m.f, inv, { ...options, target_modules: ["no_such_module"] })).toThrow(InputError);
  });
});

describe("WaveFT proportional_parameters", () => {
  test.prop([targeted, small], RUNS)("every module gets at least one coefficient and the shares add up to n_frequency × targets, up to rounding", ({ cfg, targets }, n) => {
    const inv = buildInventory(cfg);
    const b = tryCount(waveft, inv, { n_frequency: n, proportional_parameters: true, target_modules: targets });
    fc.pre(b !== undefined);
    const modules = b!.parts.reduce((s, p) => s + p.modules, 0);
    expect(b!.parts.every((p) => p.count >= p.modules)).toBe(true);
    expect(Math.abs(b!.trainable - n * modules)).toBeLessThanOrEqual(modules);
  });
});

describe("ShadowPEFT on random Llama-like decoders", () => {
  const decoder = fc.constantFrom(...LLAMA_LIKE_TYPES).chain((t) => llamaLikeConfig(t));
  const shadowOptions = fc.record({ r: small, update_hidden_size: fc.option(small, { nil: null }), shadow_num_hidden_layers: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }), share_embeddings: fc.boolean() });

  test.prop([decoder, shadowOptions], RUNS)("safe integers, Σ parts = trainable, everything added trains", (cfg, o) => {
    const inv = buildInventory(cfg);
    wellFormed(evaluate(shadow, inv, o).breakdown, inv);
  });

  test.prop([decoder, shadowOptions, small], RUNS)("affine in the base model's layers (per-block parts), the mirror backbone fixed", (cfg, o, layers) => {
    const at = (n: number) => evaluate(shadow, buildInventory(withLayers(cfg, n)), o).breakdown;
    const [one, two, many] = [at(1), at(2), at(layers)];
    expect(many.trainable).toBe(one.trainable + (layers - 1) * (two.trainable - one.trainable));
    const backbone = (b: ParamBreakdown) => b.parts.find((p) => p.name === "shadow_backbone")!.count;
    expect(backbone(many)).toBe(backbone(one));
  });

  test.prop([decoder, shadowOptions], RUNS)("grows with r and with the mirror's depth", (cfg, o) => {
    const inv = buildInventory(cfg);
    const count = (x: Options) => evaluate(shadow, inv, x).breakdown.trainable;
    expect(count({ ...o, r: o.r + 1 })).toBeGreaterThan(count(o));
    expect(count({ ...o, shadow_num_hidden_layers: (o.shadow_num_hidden_layers ?? 1) + 1 })).toBeGreaterThan(count(o));
  });
});
