/**
 * `inspect`'s per-layer-kind totals, read from the family's declared anatomy (src/model/anatomy.ts), never
 * from module names: layers are grouped by kind (attention or a Mamba / linear-attention mixer, with a dense
 * FFN or a MoE block), and each kind's parameters are split into attention / mixer, dense FFN, router, routed
 * experts (all of them, and the top-k share a token uses), shared experts and norms. Model-level embedding,
 * final-norm and head totals complete the sum: Σ = the model's parameters (tied tensors once, at the owner).
 */
import { modelParams } from "../model/compact.js";
import * as z from "zod/mini";
import { describe } from "../../formulas/types.js";
import type { Anatomy, LayerAnatomy } from "../model/anatomy.js";
import { numel, type Inventory, type ParamModule } from "../model/types.js";

const count = z.int().check(z.nonnegative());
const PARTS = ["attention", "mixer", "dense", "router", "routed", "shared", "norms", "other"] as const;
type PartName = (typeof PARTS)[number];

export const layerKindsSchema = z.object({
  kinds: z.array(
    z.object({
      kind: z.string(),
      layers: count,
      indices: z.string(),
      ...(Object.fromEntries(PARTS.map((p) => [p, count])) as Record<PartName, typeof count>),
      routedActive: count,
      total: count,
    }),
  ),
  embeddings: count,
  finalNorms: count,
  head: count,
  outside: describe(count, "parameters outside the declared layers, embeddings, final norms and head (0 when the anatomy covers the model)"),
  total: count,
});
export type LayerKinds = z.output<typeof layerKindsSchema>;

/** "attention + MoE", "mamba + dense FFN", ... */
export function layerKind(l: LayerAnatomy): string {
  const mix = l.mixer !== undefined ? l.mixer.replace(/^.*\./, "") : l.selfAttention ? "attention" : "no attention";
  const ffn = l.experts ? (l.experts.shared && l.experts.shared.length > 0 ? "MoE + shared" : "MoE") : l.ffn ? "dense FFN" : "no FFN";
  return `${mix} + ${ffn}`;
}

const under = (rel: string, path: string) => rel === path || rel.startsWith(`${path}.`);
const own = (m: ParamModule) => m.params.reduce((s, p) => s + (p.tiedTo === undefined ? numel(p.shape) : 0), 0);

function partOf(rel: string, l: LayerAnatomy): PartName {
  const e = l.experts;
  if (e) {
    if (under(rel, e.routed)) return "routed";
    if (under(rel, e.router)) return "router";
    if (e.shared?.some((s) => under(rel, s))) return "shared";
  }
  if (l.norms.includes(rel)) return "norms";
  if (l.ffn && (l.ffn.block !== undefined ? under(rel, l.ffn.block) : [...l.ffn.in, l.ffn.out].some((p) => under(rel, p)))) return "dense";
  if (l.selfAttention && under(rel, l.selfAttention.block)) return "attention";
  if (l.crossAttention && under(rel, l.crossAttention.block)) return "attention";
  if (l.mixer !== undefined && under(rel, l.mixer)) return "mixer";
  return "other";
}

/** Compact index list: "0-2, 5, 7-9". */
function ranges(xs: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    out.push(j === i ? `${xs[i]}` : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return out.join(", ");
}

/** Per-layer-kind totals; undefined when the family declares no anatomy. */
export function layerKinds(inv: Inventory): LayerKinds | undefined {
  const a: Anatomy | undefined = inv.anatomy;
  if (!a) return undefined;
  type Acc = Record<PartName, number> & { kind: string; idx: number[]; routedActive: number };
  const kinds = new Map<string, Acc>();
  const byLayer = new Map<string, ParamModule[]>();
  const stackOf = new Map<string, number>();
  a.stacks.forEach((s, si) => stackOf.set(s.layersPath, si));
  for (const m of inv.modules) {
    // the longest "<layersPath>.<i>." prefix that is a declared stack
    let key: string | undefined;
    for (const s of a.stacks) {
      if (!m.name.startsWith(`${s.layersPath}.`)) continue;
      const rest = m.name.slice(s.layersPath.length + 1);
      const i = rest.indexOf(".");
      if (i > 0 && /^\d+$/.test(rest.slice(0, i))) key = `${s.layersPath}\u0000${rest.slice(0, i)}`;
    }
    if (key === undefined) continue;
    let list = byLayer.get(key);
    if (!list) byLayer.set(key, (list = []));
    list.push(m);
  }
  for (const s of a.stacks) {
    s.layers.forEach((l, i) => {
      const kind = `${a.stacks.length > 1 ? `${s.role} ` : ""}${layerKind(l)}`;
      let acc = kinds.get(kind);
      if (!acc) kinds.set(kind, (acc = { kind, idx: [], routedActive: 0, ...(Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<PartName, number>) }));
      acc.idx.push(i);
      let routed = 0;
      for (const m of byLayer.get(`${s.layersPath}\u0000${i}`) ?? []) {
        const n = own(m);
        const part = partOf(m.name.slice(s.layersPath.length + 2 + String(i).length), l);
        acc[part] += n;
        if (part === "routed") routed += n;
      }
      if (l.experts && l.experts.numExperts > 0) acc.routedActive += Math.round((routed * l.experts.perToken) / l.experts.numExperts);
    });
  }
  const sumOf = (paths: readonly string[]) => inv.modules.filter((m) => paths.includes(m.name)).reduce((s, m) => s + own(m), 0);
  const embeddings = sumOf([...a.embeddings, ...(a.embeddingProjections ?? [])]);
  const head = sumOf(a.head);
  const finalNorms = sumOf([...a.stacks.flatMap((s) => (s.finalNorm !== undefined ? [s.finalNorm] : [])), ...(a.norms ?? [])]);
  const total = modelParams(inv);
  const rows = [...kinds.values()].map(({ kind, idx, routedActive, ...parts }) => ({
      kind,
      layers: idx.length,
      indices: ranges(idx),
      ...(Object.fromEntries(PARTS.map((p) => [p, parts[p]])) as Record<PartName, number>),
      routedActive,
      total: PARTS.reduce((t, p) => t + parts[p], 0),
    }));
  const placed = rows.reduce((t, r) => t + r.total, 0) + embeddings + finalNorms + head;
  return { kinds: rows, embeddings, finalNorms, head, outside: total - placed, total };
}
