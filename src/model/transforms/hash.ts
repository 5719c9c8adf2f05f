/**
 * `hash`: parameter hashing as ROAST (Desai, Zhou & Shrivastava, 2022) and RPS / ROBE (random parameter
 * sharing, Desai et al., 2022) do it — the matched weight matrices are no longer stored: every element is read,
 * through a hash, from one compressed array of ⌊c · Σ weights⌋ parameters (`scope=global`, ROAST-MM's global
 * memory), or from one array of ⌊c · numel⌋ per module (`scope=per-module`). Biases stay. A hashed module is no
 * longer an nn.Linear (its class is `Hashed<Class>`), so PEFT cannot wrap it; the global array is the module
 * `hashed_weights` (our name: the papers' code keeps it on a wrapper object). Which modules: `modules=layers`
 * (every Linear / Conv1D in the layer stacks), `all-linear` (every Linear, heads included) or `all` (every
 * weight matrix, embeddings included), less the `omit` name parts.
 */
import { InputError } from "../../errors.js";
import { numel, type ParamModule } from "../types.js";
import type { Inventory } from "../types.js";
import { digits, totalsText } from "./edit.js";
import { checkKeys, floorMul, listOf, parseRatio, ratioText, TransformSpecError, type TransformSpec } from "./spec.js";
import type { TransformDef } from "./types.js";

const bad = (msg: string, hint: string) => new TransformSpecError("INVALID_TRANSFORM", `hash: ${msg}`, hint);

/** Name of the global compressed array's module. */
export const HASHED_ARRAY = "hashed_weights";

function applyHash(inv: Inventory, spec: TransformSpec): { inv: Inventory; summary: string } {
  checkKeys(spec, ["c", "modules", "omit", "scope"], (k) => (/^(compress|ratio|budget)/.test(k) ? 'did you mean "c"? ' : /^(target|module)/.test(k) ? 'did you mean "modules"? ' : /^(skip|exclude)/.test(k) ? 'did you mean "omit"? ' : /^(global|mode)/.test(k) ? 'did you mean "scope"? ' : ""));
  const o = spec.options;
  if (o["c"] === undefined) throw bad("c= (the compression: budget / original weights) is required", 'e.g. --transform "hash c=0.1"');
  const c = parseRatio(o["c"], "hash c");
  if (c.p === 0 || c.p > c.q) throw bad(`c=${o["c"]} is out of range: the compression must be above 0 and at most 1`, "e.g. c=0.1 keeps a tenth of the weights");
  const which = o["modules"] ?? "layers";
  if (!["layers", "all-linear", "all"].includes(which)) throw bad(`modules must be layers, all-linear or all (got "${which}")`, "layers: the Linear layers of the stacks");
  const scope = o["scope"] ?? "global";
  if (scope !== "global" && scope !== "per-module") throw bad(`scope must be global or per-module (got "${scope}")`, "global: one array for every matched weight (ROAST-MM)");
  const omit = listOf(o["omit"] ?? "");
  const stacks = (inv.anatomy?.stacks ?? []).map((s) => `${s.layersPath}.`);
  if (which === "layers" && stacks.length === 0) throw new InputError("UNSUPPORTED_TRANSFORM", `hash: model_type "${inv.modelType}" declares no layer stacks in its anatomy`, "use modules=all-linear or modules=all");
  const isLinear = (m: ParamModule) => m.kind === "linear" || m.kind === "conv1d";
  const weightOf = (m: ParamModule) => m.params.find((p) => p.name === "weight" && p.shape.length >= 2);
  const matches = (m: ParamModule) => {
    if (omit.some((n) => m.name.includes(n)) || !weightOf(m)) return false;
    if (which === "layers") return isLinear(m) && stacks.some((p) => m.name.startsWith(p));
    if (which === "all-linear") return isLinear(m);
    return true;
  };
  const matched = new Set(inv.modules.filter(matches).map((m) => m.name));
  // a weight tied to another matched weight is hashed with it; one tied to an unmatched module stays as it is
  for (const m of inv.modules) {
    const t = weightOf(m)?.tiedTo;
    if (t !== undefined && matched.has(m.name) && !matched.has(t.slice(0, t.lastIndexOf(".")))) matched.delete(m.name);
  }
  if (matched.size === 0) throw new InputError("NOTHING_TO_TRANSFORM", `hash: no weight matches modules=${which}${omit.length ? ` less omit=${omit.join(",")}` : ""}`, "widen modules= or shorten omit=");
  let sum = 0;
  let budget = 0;
  const modules: ParamModule[] = inv.modules.map((m) => {
    if (!matched.has(m.name)) return m;
    const w = weightOf(m)!;
    const n = w.tiedTo === undefined ? numel(w.shape) : 0;
    sum += n;
    const own = scope === "per-module" ? floorMul(n, c) : 0;
    budget += own;
    const params = m.params.flatMap((p) => (p !== w ? [p] : own > 0 ? [{ name: "weight", shape: [own] }] : []));
    return { name: m.name, kind: "other", className: `Hashed${m.className}`, params, ...(m.aliases ? { aliases: m.aliases } : {}) } satisfies ParamModule;
  });
  if (scope === "global") {
    budget = floorMul(sum, c);
    modules.push({ name: HASHED_ARRAY, kind: "other", className: "HashedWeights", params: [{ name: "weight", shape: [budget] }] });
  }
  const summary = `hash c=${ratioText(c)} (${scope}): ${matched.size} weight matrices (${digits(sum)} parameters) read through hashes from ${scope === "global" ? `one array of ⌊c·Σ⌋ = ${digits(budget)}` : `per-module arrays of ⌊c·numel⌋, ${digits(budget)} in all`}; ${totalsText(inv, modules)}`;
  return { inv: { ...inv, modules }, summary };
}

export const hash: TransformDef = {
  id: "hash",
  title: "Parameter hashing (ROAST, RPS)",
  paper: "ROAST (Desai, Zhou & Shrivastava, 2022, arXiv:2207.10702); RPS / ROBE random parameter sharing (Desai, Chou & Shrivastava, MLSys 2022)",
  expression: "matched weights W₁…W_k → one array of ⌊c · Σ numel(Wᵢ)⌋ (global) or ⌊c · numel(Wᵢ)⌋ each (per-module); biases stay",
  options: [
    { key: "c", text: "compression: budget / original weights, 0 < c ≤ 1 (required)" },
    { key: "modules", text: "layers (Linear / Conv1D in the stacks), all-linear, or all (embeddings too)", default: "layers" },
    { key: "omit", text: "comma-separated name parts left unhashed", default: "none" },
    { key: "scope", text: "global (one array, ROAST-MM) or per-module", default: "global" },
  ],
  exactness: "exact for the budget rule given (the hash functions do not change a count); hashed modules are no longer Linear layers, so methods cannot target them",
  apply: applyHash,
};
