/**
 * `share`: shared depth — K unique blocks reused across the L layers of each stack, as SReT's recursion (Shen
 * et al., ECCV 2022), ALBERT's cross-layer sharing (Lan et al., ICLR 2020) and WideNet (Xue et al., AAAI 2022,
 * per-use LayerNorms) build it. The module tree is what `nn.ModuleList` holding the same block object gives:
 * a shared module keeps the path of its first use and is reachable under the others (aliases), so
 * `named_parameters()` and `named_modules()` (what PEFT walks) see it once. Layer i uses block ⌊i·K/L⌋
 * (`order=block`: consecutive repeats, SReT / ALBERT's groups) or i mod K (`order=cycle`). `norms=per-use` keeps
 * each layer's own norms (WideNet); `per_use=` keeps other modules per layer too (per-use projections).
 * K = L changes nothing.
 */
import { InputError } from "../../errors.js";
import type { ParamModule } from "../types.js";
import type { Inventory } from "../types.js";
import { totalsText } from "./edit.js";
import { checkKeys, listOf, TransformSpecError, type TransformSpec } from "./spec.js";
import type { TransformDef } from "./types.js";

const bad = (msg: string, hint: string) => new TransformSpecError("INVALID_TRANSFORM", `share: ${msg}`, hint);

/** Which of K blocks layer i of L uses. */
export function blockOf(i: number, K: number, L: number, order: "block" | "cycle"): number {
  return order === "cycle" ? i % K : Math.floor((i * K) / L);
}

const signature = (m: ParamModule) =>
  JSON.stringify([m.kind, m.className, m.kind === "linear" || m.kind === "conv1d" ? [m.inFeatures, m.outFeatures] : m.kind === "embedding" ? [m.numEmbeddings, m.embeddingDim] : [], m.params.map((p) => [p.name, p.shape, p.tiedTo ?? null])]);

function applyShare(inv: Inventory, spec: TransformSpec): { inv: Inventory; summary: string } {
  checkKeys(spec, ["K", "order", "norms", "per_use"], (k) => (/^(k|blocks|groups|unique)$/i.test(k) ? 'did you mean "K"? ' : /norm/.test(k) ? 'did you mean "norms"? ' : /use|proj/.test(k) ? 'did you mean "per_use"? ' : ""));
  const o = spec.options;
  if (o["K"] === undefined) throw bad("K= (the number of unique blocks) is required", 'e.g. --transform "share K=1" (ALBERT: one block for every layer)');
  if (!/^\d+$/.test(o["K"]) || Number(o["K"]) < 1) throw bad(`K must be a positive integer (got "${o["K"]}")`, "e.g. K=4");
  const K = Number(o["K"]);
  const order = o["order"] ?? "block";
  if (order !== "block" && order !== "cycle") throw bad(`order must be block or cycle (got "${order}")`, "block: layer i uses block ⌊i·K/L⌋; cycle: i mod K");
  const norms = o["norms"] ?? "shared";
  if (norms !== "shared" && norms !== "per-use") throw bad(`norms must be shared or per-use (got "${norms}")`, "per-use keeps every layer's own norms (WideNet)");
  const perUse = listOf(o["per_use"] ?? "");
  const a = inv.anatomy;
  if (!a || a.stacks.length === 0) throw new InputError("UNSUPPORTED_TRANSFORM", `share: model_type "${inv.modelType}" declares no layer stacks in its anatomy`, "share needs the family's anatomy");
  for (const s of a.stacks)
    if (K > s.layers.length) throw new InputError("INVALID_TRANSFORM", `share: K=${K} exceeds the ${s.layers.length} layers of ${s.layersPath}`, `use K ≤ ${s.layers.length} (K = L changes nothing)`);
  const byName = new Map(inv.modules.map((m) => [m.name, m] as const));
  const aliases = new Map<string, string[]>();
  const renamed = new Map<string, string>();
  const drop = new Set<string>();
  let reused = 0;
  for (const s of a.stacks) {
    const L = s.layers.length;
    const first = new Map<number, number>();
    for (let i = 0; i < L; i++) if (!first.has(blockOf(i, K, L, order))) first.set(blockOf(i, K, L, order), i);
    const keepPerUse = (i: number, rel: string) => {
      const own = norms === "per-use" ? s.layers[i]!.norms : [];
      return [...own, ...perUse].some((p) => rel === p || rel.startsWith(`${p}.`));
    };
    const prefix = `${s.layersPath}.`;
    for (const m of inv.modules) {
      if (!m.name.startsWith(prefix)) continue;
      const rest = m.name.slice(prefix.length);
      const dot = rest.indexOf(".");
      const i = Number(rest.slice(0, dot));
      if (dot < 0 || !Number.isInteger(i) || i >= L) continue;
      const rel = rest.slice(dot + 1);
      const f = first.get(blockOf(i, K, L, order))!;
      if (f === i || keepPerUse(i, rel)) continue;
      const canonical = byName.get(`${prefix}${f}.${rel}`);
      if (!canonical || signature(canonical) !== signature(m))
        throw new InputError("UNSUPPORTED_TRANSFORM", `share: layer ${i} cannot reuse layer ${f}'s block: ${m.name} has no identical counterpart ${prefix}${f}.${rel}`, "share needs layers of the same shapes (per_use= keeps differing modules per layer)");
      drop.add(m.name);
      renamed.set(m.name, canonical.name);
      aliases.set(canonical.name, [...(aliases.get(canonical.name) ?? []), m.name, ...(m.aliases ?? [])]);
    }
    reused += L - K;
  }
  const retie = (t: string | undefined) => {
    if (t === undefined) return t;
    const dot = t.lastIndexOf(".");
    const to = renamed.get(t.slice(0, dot));
    return to === undefined ? t : `${to}${t.slice(dot)}`;
  };
  const modules = inv.modules
    .filter((m) => !drop.has(m.name))
    .map((m) => {
      const extra = aliases.get(m.name);
      const tied = m.params.some((p) => p.tiedTo !== undefined && retie(p.tiedTo) !== p.tiedTo);
      if (!extra && !tied) return m;
      return { ...m, ...(extra ? { aliases: [...(m.aliases ?? []), ...extra] } : {}), ...(tied ? { params: m.params.map((p) => (p.tiedTo === undefined ? p : { ...p, tiedTo: retie(p.tiedTo)! })) } : {}) };
    });
  const kept = [norms === "per-use" ? "per-use norms" : "norms shared", ...(perUse.length ? [`per use: ${perUse.join(", ")}`] : [])].join("; ");
  const rule = order === "cycle" ? "layer i uses block i mod K" : "layer i uses block ⌊i·K/L⌋";
  const summary = `share K=${K}: ${a.stacks.map((s) => `${s.layers.length} layers of ${s.layersPath} run through ${K} unique block${K === 1 ? "" : "s"}`).join(", ")} (${rule}; ${kept}; shared tensors counted once); ${reused === 0 ? "no layer reused; " : ""}${totalsText(inv, modules)}`;
  return { inv: { ...inv, modules }, summary };
}

export const share: TransformDef = {
  id: "share",
  title: "Shared depth (SReT, ALBERT, WideNet)",
  paper: "SReT (Shen et al., ECCV 2022, arXiv:2111.05297); ALBERT (Lan et al., ICLR 2020, arXiv:1909.11942); WideNet (Xue et al., AAAI 2022, arXiv:2107.11817)",
  expression: "K unique blocks for L layers: layer parameters × K/L, per-use norms / projections × 1; unique tensors once, as named_parameters()",
  options: [
    { key: "K", text: "unique blocks per stack (1 ≤ K ≤ L; K = L is the identity)" },
    { key: "order", text: "block: layer i uses block ⌊i·K/L⌋ (consecutive repeats); cycle: i mod K", default: "block" },
    { key: "norms", text: "shared, or per-use: every layer keeps its own norms (WideNet)", default: "shared" },
    { key: "per_use", text: "comma-separated module paths inside a layer kept per use (e.g. self_attn.o_proj)", default: "none" },
  ],
  exactness: "exact for the module tree named_parameters() sees (shared modules once, PEFT wraps each once)",
  apply: applyShare,
};
