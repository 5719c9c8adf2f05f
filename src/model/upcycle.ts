/**
 * `--upcycle experts=E,top_k=K[,shared=S][,granularity=G]`: a dense model turned into a mixture of experts
 * (sparse upcycling, Komatsuzaki et al. 2022; fine-grained experts, Dai et al. 2024 / Krajewski et al. 2024),
 * counted exactly. In every layer whose anatomy declares a dense FFN block (src/model/anatomy.ts):
 * - the FFN's projections become E routed experts, each a copy of the FFN at 1/G of its intermediate width
 *   (G = 1: plain copies; G > 1: fine-grained experts; keep E·(width) and K·(width) to compare compute);
 * - a router `<block>.gate`: Linear(h → E, no bias) in the per-expert layout, a bare `weight` [E, h] when
 *   experts are fused (`--expert-layout fused`, the transformers-5 convention);
 * - S > 0: shared experts, one always-active FFN of S·(width/G) under `<block>.shared_experts` (DeepSeek-MoE);
 * - routed experts: `<block>.experts.<e>.<projection>` per expert (Linear / Conv1D as the model's), or one
 *   `<block>.experts` module holding each projection as a 3-D parameter [E, out, in] (+ `<name>_bias` [E, out]).
 * Biases, module kinds and projection names are the dense model's; layers without an FFN (Mamba) stay.
 * Active per token: everything but the routed experts, plus K of them (src/model/active.ts).
 */
import { InputError, UsageError } from "../errors.js";
import type { ExpertsAnatomy, LayerAnatomy } from "./anatomy.js";
import { EXPERT_PATTERN } from "./families/moe.js";
import type { Inventory, ParamModule, ParamSpec } from "./types.js";

export interface UpcycleSpec {
  readonly experts: number;
  readonly topK: number;
  readonly shared: number;
  readonly granularity: number;
}

const KEYS: Readonly<Record<string, keyof UpcycleSpec>> = { experts: "experts", top_k: "topK", shared: "shared", granularity: "granularity" };

/** `experts=8,top_k=2,shared=1,granularity=4` → spec; experts and top_k are required. */
export function parseUpcycle(text: string): UpcycleSpec {
  const v: Partial<Record<keyof UpcycleSpec, number>> = {};
  const hint = "e.g. --upcycle experts=8,top_k=2 or --upcycle experts=64,top_k=8,shared=1,granularity=8";
  for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [k, n] = part.split("=").map((s) => s.trim());
    const key = KEYS[k ?? ""];
    if (!key) throw new UsageError("INVALID_FLAG", `--upcycle: unknown key "${k}" (experts, top_k, shared, granularity)`, hint);
    const num = Number(n);
    if (!Number.isSafeInteger(num) || num < (key === "shared" ? 0 : 1)) throw new UsageError("INVALID_FLAG", `--upcycle: ${k} must be a ${key === "shared" ? "non-negative" : "positive"} integer (got "${n ?? ""}")`, hint);
    v[key] = num;
  }
  if (v.experts === undefined || v.topK === undefined) throw new UsageError("INVALID_FLAG", `--upcycle needs experts=E and top_k=K (got "${text}")`, hint);
  if (v.topK > v.experts) throw new UsageError("INVALID_FLAG", `--upcycle: top_k=${v.topK} is more than experts=${v.experts}`, hint);
  return { experts: v.experts, topK: v.topK, shared: v.shared ?? 0, granularity: v.granularity ?? 1 };
}

type Projection = ParamModule & { kind: "linear" | "conv1d" };

/** A projection resized: `into` (true) narrows its output to the expert width, else its input. */
function resized(m: Projection, into: boolean, num: number, den: number): { inF: number; outF: number; bias: boolean } {
  const scale = (n: number) => {
    if ((n * num) % den !== 0) throw new InputError("INVALID_CONFIG", `--upcycle: ${m.name} (${n} wide) does not split into experts of ${num}/${den} of its width`, "choose a granularity that divides the intermediate size");
    return (n * num) / den;
  };
  return { inF: into ? m.inFeatures : scale(m.inFeatures), outF: into ? scale(m.outFeatures) : m.outFeatures, bias: m.params.some((p) => p.name === "bias") };
}

function projection(m: Projection, name: string, inF: number, outF: number, bias: boolean): ParamModule {
  const weight: ParamSpec = { name: "weight", shape: m.kind === "conv1d" ? [inF, outF] : [outF, inF] };
  return { name, kind: m.kind, className: m.className, inFeatures: inF, outFeatures: outF, params: bias ? [weight, { name: "bias", shape: [outF] }] : [weight] };
}

/** The dense inventory with every FFN block upcycled; `fused`: experts as 3-D parameters. */
export function upcycle(inv: Inventory, s: UpcycleSpec, fused: boolean): Inventory {
  const a = inv.anatomy;
  if (inv.experts) throw new InputError("INVALID_CONFIG", `--upcycle: ${inv.modelType} is already a mixture of experts`, "use --set to change its experts (e.g. --set num_local_experts=16)");
  if (!a) throw new InputError("UNSUPPORTED_MODEL_TYPE", `--upcycle: the ${inv.modelType} family does not declare its anatomy yet, so its FFN blocks are unknown`, "upcycle a model whose family declares one (peftcount inspect shows per-layer-kind totals for those)");
  const h = a.hiddenSize;
  const byName = new Map(inv.modules.map((m) => [m.name, m]));
  const replace = new Map<string, ParamModule[]>(); // first FFN module → the MoE modules
  const drop = new Set<string>();
  const layerMap = new Map<LayerAnatomy, LayerAnatomy>();
  let upcycled = 0;
  const stacks = a.stacks.map((st) => ({
    ...st,
    layers: st.layers.map((l, i) => {
      const f = l.ffn;
      if (!f || l.experts) return l;
      if (f.block === undefined) throw new InputError("UNSUPPORTED_MODEL_TYPE", `--upcycle: the FFN projections of ${inv.modelType} sit directly in the layer (no FFN block to turn into experts)`, "upcycle a decoder whose FFN is one block (mlp, feed_forward)");
      const block = `${st.layersPath}.${i}.${f.block}`;
      const inside = inv.modules.filter((m) => m.name === block || m.name.startsWith(`${block}.`));
      const projections = [...f.in, f.out].map((rel) => byName.get(`${st.layersPath}.${i}.${rel}`));
      if (projections.some((m) => !m || (m.kind !== "linear" && m.kind !== "conv1d")) || inside.length !== projections.length)
        throw new InputError("UNSUPPORTED_MODEL_TYPE", `--upcycle: ${block} holds more than Linear projections`, "upcycling copies Linear / Conv1D FFN projections only");
      const parts = (projections as Projection[]).map((m, k) => ({ m, leaf: m.name.slice(block.length + 1), into: k < f.in.length }));
      const out: ParamModule[] = [];
      if (fused) out.push({ name: `${block}.gate`, kind: "other", className: "TopKRouter", params: [{ name: "weight", shape: [s.experts, h] }] });
      else out.push({ name: `${block}.gate`, kind: "linear", className: "Linear", inFeatures: h, outFeatures: s.experts, params: [{ name: "weight", shape: [s.experts, h] }] });
      if (fused) {
        const params: ParamSpec[] = parts.flatMap(({ m, leaf, into }) => {
          const r = resized(m, into, 1, s.granularity);
          const key = leaf.replace(/\./g, "_");
          return [{ name: key, shape: [s.experts, r.outF, r.inF] }, ...(r.bias ? [{ name: `${key}_bias`, shape: [s.experts, r.outF] }] : [])];
        });
        out.push({ name: `${block}.experts`, kind: "other", className: "Experts", params });
      } else
        for (let e = 0; e < s.experts; e++)
          for (const { m, leaf, into } of parts) {
            const r = resized(m, into, 1, s.granularity);
            out.push(projection(m, `${block}.experts.${e}.${leaf}`, r.inF, r.outF, r.bias));
          }
      if (s.shared > 0)
        for (const { m, leaf, into } of parts) {
          const r = resized(m, into, s.shared, s.granularity);
          out.push(projection(m, `${block}.shared_experts.${leaf}`, r.inF, r.outF, r.bias));
        }
      replace.set(inside[0]!.name, out);
      for (const m of inside) drop.add(m.name);
      upcycled++;
      let nl = layerMap.get(l);
      if (!nl) {
        const experts: ExpertsAnatomy = { block: f.block, router: `${f.block}.gate`, routed: `${f.block}.experts`, numExperts: s.experts, perToken: s.topK, ...(s.shared > 0 ? { shared: [`${f.block}.shared_experts`] } : {}) };
        const { ffn: _dense, ...rest } = l;
        layerMap.set(l, (nl = { ...rest, experts }));
      }
      return nl;
    }),
  }));
  if (upcycled === 0) throw new InputError("UNSUPPORTED_MODEL_TYPE", `--upcycle: ${inv.modelType} declares no dense FFN block to turn into experts`, "upcycle a model with MLP blocks");
  const modules = inv.modules.flatMap((m) => replace.get(m.name) ?? (drop.has(m.name) ? [] : [m]));
  const desc = `experts=${s.experts}, top_k=${s.topK}${s.shared ? `, shared=${s.shared}` : ""}${s.granularity > 1 ? `, granularity=${s.granularity}` : ""}`;
  return {
    ...inv,
    modules,
    dims: { ...inv.dims, numLocalExperts: s.experts, numExpertsPerTok: s.topK },
    experts: { pattern: EXPERT_PATTERN, perToken: s.topK, total: s.experts },
    anatomy: { ...a, stacks },
    notes: [
      ...(inv.notes ?? []),
      `upcycled (--upcycle ${desc}): each of ${upcycled} FFN blocks became ${s.experts} experts of 1/${s.granularity} its width${s.shared ? ` plus ${s.shared} shared` : ""} and a router; ${fused ? "experts fused into 3-D parameters (reach them with target_parameters)" : "one module per expert (--expert-layout fused: 3-D parameters)"}`,
    ],
  };
}
