/**
 * `prune`: structured pruning as LoRAPrune, Light-PEFT and LLM-Pruner do it — whole attention heads (q/k/v/o
 * together) and FFN channels (gate/up rows with down columns) leave every layer, or the layers listed. What to
 * prune comes from the family's anatomy (attention q/k/v/o or fused qkv with heads / kvHeads / headDim, FFN in /
 * out with intermediateSize), never from module names.
 *
 * Amounts: a plain integer is a count removed (heads=8: eight query heads); a decimal or a percent is the
 * fraction removed, rounded as torch-pruning (LLM-Pruner's engine) rounds: kept = ⌊n·(1−f)⌋, so removed =
 * ⌈f·n⌉, computed exactly (0.3 of 11008 removes 3303). GQA (`gqa=`): `groups` removes whole KV groups (a
 * key/value head with its query heads; the fraction applies to the groups), `queries` removes the same number of
 * query heads from every group (k/v keep their width); `auto` (default) is groups, or queries for multi-query
 * attention (one KV head: no group can go). Multi-head attention is groups of one head.
 */
import { InputError } from "../../errors.js";
import type { Anatomy, AttentionAnatomy, FeedForwardAnatomy, LayerAnatomy } from "../anatomy.js";
import type { Inventory, ParamModule } from "../types.js";
import { digits, rangesText, replaceModules, resizeLinear, resizeVectors, totalsText } from "./edit.js";
import { ceilMul, checkKeys, listOf, parseAmount, parseIndexRanges, TransformSpecError, type Amount, type TransformSpec } from "./spec.js";
import type { TransformDef } from "./types.js";

type Mode = "groups" | "queries" | "auto";

/** `auto`: whole KV groups, except multi-query attention (one KV head), where only query heads can go. */
export const effectiveMode = (a: { heads: number; kvHeads: number }, mode: Mode): "groups" | "queries" => (mode !== "auto" ? mode : a.kvHeads === 1 && a.heads > 1 ? "queries" : "groups");
interface HeadCut { readonly heads: number; readonly kvHeads: number }

const bad = (msg: string, hint: string) => new TransformSpecError("INVALID_TRANSFORM", `prune: ${msg}`, hint);

/** Heads and KV heads left in one attention block. */
export function prunedHeads(a: { heads: number; kvHeads: number }, amount: Amount, mode: Mode): HeadCut {
  const { heads: H, kvHeads: G } = a;
  const g = H / G;
  if (amount.kind === "count" && amount.count === 0) return { heads: H, kvHeads: G };
  if (effectiveMode(a, mode) === "groups" || g === 1) {
    let groups: number;
    if (amount.kind === "fraction") groups = ceilMul(G, amount.ratio);
    else if (amount.count % g !== 0)
      throw new InputError("INDIVISIBLE_HEADS", `prune: heads=${amount.count} is not divisible into whole KV groups of ${g} query heads (${H} heads, ${G} KV heads)`, `give a multiple of ${g}, or gqa=queries to remove query heads within the groups`);
    else groups = amount.count / g;
    if (groups >= G) throw new InputError("PRUNE_TOO_MUCH", `prune: heads=${amount.text} would remove all ${G} KV groups (${H} heads)`, "keep at least one");
    return { heads: (G - groups) * g, kvHeads: G - groups };
  }
  let per: number;
  if (amount.kind === "fraction") per = ceilMul(g, amount.ratio);
  else if (amount.count % G !== 0)
    throw new InputError("INDIVISIBLE_HEADS", `prune: heads=${amount.count} is not divisible among the ${G} KV groups (gqa=queries removes the same number of query heads from each)`, `give a multiple of ${G}, or gqa=groups`);
  else per = amount.count / G;
  if (per >= g) throw new InputError("PRUNE_TOO_MUCH", `prune: heads=${amount.text} would remove every query head of a group (${g} per group)`, "keep at least one per group, or use gqa=groups");
  return { heads: H - per * G, kvHeads: G };
}

/** Intermediate channels left. */
export function prunedWidth(n: number, amount: Amount): number {
  const removed = amount.kind === "fraction" ? ceilMul(n, amount.ratio) : amount.count;
  if (removed >= n) throw new InputError("PRUNE_TOO_MUCH", `prune: ffn=${amount.text} would remove all ${n} intermediate channels`, "keep at least one");
  return n - removed;
}

/** One amount per layer: a single value for the layers in `layers=` (default all), or a list with one per layer. */
function perLayer(value: string | undefined, key: string, count: number, selected: ReadonlySet<number> | undefined): (Amount | undefined)[] {
  if (value === undefined) return Array.from({ length: count }, () => undefined);
  const items = listOf(value);
  if (items.length === 1) {
    const a = parseAmount(items[0]!, `prune ${key}`);
    return Array.from({ length: count }, (_, i) => (selected === undefined || selected.has(i) ? a : undefined));
  }
  if (selected !== undefined) throw bad(`${key}= is a per-layer list, and layers= selects layers too`, "give one or the other");
  if (items.length !== count) throw bad(`${key}= lists ${items.length} values for ${count} layers`, `give one value for all layers, or exactly ${count}`);
  return items.map((v, i) => parseAmount(v, `prune ${key} (layer ${i})`));
}

function pruneAttention(a: AttentionAnatomy, cut: HeadCut, prefix: string, inv: Inventory, edits: Map<string, ParamModule>): AttentionAnatomy {
  if (cut.heads === a.heads && cut.kvHeads === a.kvHeads) return a;
  const get = (rel: string) => {
    const m = inv.modules.find((x) => x.name === `${prefix}.${rel}`);
    if (!m) throw new InputError("UNSUPPORTED_TRANSFORM", `prune: ${prefix}.${rel} is not a module of this inventory`, "apply prune before transforms that replace projections");
    return m;
  };
  const hd = a.headDim;
  const dq = (a.heads - cut.heads) * hd;
  const dkv = (a.kvHeads - cut.kvHeads) * hd;
  const shrinkOut = (rel: string | undefined, by: number, expect: number) => {
    if (rel === undefined) return;
    const m = get(rel);
    if (m.kind !== "linear" && m.kind !== "conv1d") throw resizeLinearError(m);
    if (m.outFeatures !== expect) throw new InputError("UNSUPPORTED_TRANSFORM", `prune: ${m.name} has ${m.outFeatures} outputs, not the ${expect} its heads imply`, "this attention's projections do not follow heads · head_dim");
    edits.set(m.name, resizeLinear(m, m.inFeatures, m.outFeatures - by, "prune"));
  };
  shrinkOut(a.q, dq, a.heads * hd);
  shrinkOut(a.k, dkv, a.kvHeads * hd);
  shrinkOut(a.v, dkv, a.kvHeads * hd);
  shrinkOut(a.qkv, dq + 2 * dkv, (a.heads + 2 * a.kvHeads) * hd);
  shrinkOut(a.kv, 2 * dkv, 2 * a.kvHeads * hd);
  const o = get(a.o);
  if (o.kind !== "linear" && o.kind !== "conv1d") throw resizeLinearError(o);
  edits.set(o.name, resizeLinear(o, o.inFeatures - dq, o.outFeatures, "prune"));
  // per-width vectors under the block (OLMo-2's q_norm [heads·hd], k_norm [kv·hd]); T5's relative bias [buckets, heads]
  const widths = new Map([[a.kvHeads * hd, cut.kvHeads * hd], [a.heads * hd, cut.heads * hd]]);
  const own = new Set([a.q, a.k, a.v, a.qkv, a.kv, a.o].filter((x) => x !== undefined).map((r) => `${prefix}.${r}`));
  for (const m of inv.modules)
    if (m.name.startsWith(`${prefix}.${a.block}.`) && !own.has(m.name)) {
      if (m.kind === "embedding" && m.embeddingDim === a.heads) edits.set(m.name, { ...m, embeddingDim: cut.heads, params: m.params.map((p) => ({ ...p, shape: [m.numEmbeddings, cut.heads] })) });
      else edits.set(m.name, resizeVectors(m, widths));
    }
  return { ...a, heads: cut.heads, kvHeads: cut.kvHeads };
}

const resizeLinearError = (m: ParamModule) => new InputError("UNSUPPORTED_TRANSFORM", `prune: ${m.name} (${m.className}) is not a Linear layer`, "apply prune before transforms that replace projections");

function pruneFfn(f: FeedForwardAnatomy, width: number, prefix: string, inv: Inventory, edits: Map<string, ParamModule>): FeedForwardAnatomy {
  if (width === f.intermediateSize) return f;
  const fused = f.gated === true && f.in.length === 1;
  for (const rel of f.in) {
    const m = inv.modules.find((x) => x.name === `${prefix}.${rel}`);
    if (!m || (m.kind !== "linear" && m.kind !== "conv1d")) throw new InputError("UNSUPPORTED_TRANSFORM", `prune: ${prefix}.${rel} is not a Linear layer of this inventory`, "apply prune before transforms that replace projections");
    const want = (fused ? 2 : 1) * f.intermediateSize;
    if (m.outFeatures !== want) throw new InputError("UNSUPPORTED_TRANSFORM", `prune: ${m.name} has ${m.outFeatures} outputs, not ${want}`, "this FFN's projections do not follow its intermediate size");
    edits.set(m.name, resizeLinear(m, m.inFeatures, (fused ? 2 : 1) * width, "prune"));
  }
  const out = inv.modules.find((x) => x.name === `${prefix}.${f.out}`);
  if (!out || (out.kind !== "linear" && out.kind !== "conv1d") || out.inFeatures !== f.intermediateSize)
    throw new InputError("UNSUPPORTED_TRANSFORM", `prune: ${prefix}.${f.out} is not a Linear layer from the intermediate width`, "apply prune before transforms that replace projections");
  edits.set(out.name, resizeLinear(out, width, out.outFeatures, "prune"));
  return { ...f, intermediateSize: width };
}

function applyPrune(inv: Inventory, spec: TransformSpec): { inv: Inventory; summary: string } {
  checkKeys(spec, ["heads", "ffn", "gqa", "layers"], (k) => (k.startsWith("h") ? 'did you mean "heads"? ' : k.startsWith("f") || k.startsWith("m") ? 'did you mean "ffn"? ' : ""));
  const o = spec.options;
  if (o["heads"] === undefined && o["ffn"] === undefined) throw bad("nothing to prune", 'give heads=<fraction | count> and/or ffn=<fraction | count>, e.g. "prune heads=0.5 ffn=0.5"');
  const mode = (o["gqa"] ?? "auto") as Mode;
  if (mode !== "groups" && mode !== "queries" && mode !== "auto") throw bad(`gqa must be auto, groups or queries (got "${mode}")`, "groups: whole KV groups; queries: query heads within each group; auto: groups, or queries for multi-query attention");
  const anatomy: Anatomy | undefined = inv.anatomy;
  if (!anatomy) throw new InputError("UNSUPPORTED_TRANSFORM", `prune: model_type "${inv.modelType}" declares no anatomy (where attention and FFN sit)`, "prune needs the family's anatomy");
  const all = anatomy.stacks.flatMap((s, si) => s.layers.map((layer, i) => ({ s, si, i, layer })));
  const selected = o["layers"] === undefined ? undefined : new Set(parseIndexRanges(o["layers"], "prune layers"));
  for (const i of selected ?? []) if (i >= all.length) throw bad(`layers= names layer ${i}, but the model has ${all.length}`, `use indices 0-${all.length - 1}`);
  const heads = perLayer(o["heads"], "heads", all.length, selected);
  const ffn = perLayer(o["ffn"], "ffn", all.length, selected);
  if (heads.some((h) => h !== undefined) && !all.some((l) => l.layer.selfAttention || l.layer.crossAttention))
    throw new InputError("UNSUPPORTED_TRANSFORM", `prune: model_type "${inv.modelType}" has no attention heads to prune (its anatomy declares none)`, "prune ffn= only, or another model");
  if (ffn.some((f) => f !== undefined) && !all.some((l) => l.layer.ffn))
    throw new InputError("UNSUPPORTED_TRANSFORM", `prune: model_type "${inv.modelType}" has no dense FFN to prune (its anatomy declares none${all.some((l) => l.layer.experts) ? ": its layers hold routed experts" : ""})`, "prune heads= only, or another model");
  const edits = new Map<string, ParamModule>();
  const changes = { heads: new Map<string, number[]>(), ffn: new Map<string, number[]>() };
  const note = (what: Map<string, number[]>, text: string, g: number) => what.set(text, [...(what.get(text) ?? []), g]);
  const layers = all.map(({ s, i, layer }, g) => {
    const prefix = `${s.layersPath}.${i}`;
    const h = heads[g];
    const f = ffn[g];
    let next: LayerAnatomy = layer;
    for (const key of ["selfAttention", "crossAttention"] as const) {
      const a = layer[key];
      if (!a || h === undefined) continue;
      const cut = prunedHeads(a, h, mode);
      if (cut.heads !== a.heads) note(changes.heads, `${key === "crossAttention" ? "cross-attention " : ""}heads ${a.heads} → ${cut.heads}${a.kvHeads !== a.heads ? ` (KV heads ${a.kvHeads} → ${cut.kvHeads})` : ""}`, g);
      next = { ...next, [key]: pruneAttention(a, cut, prefix, inv, edits) };
    }
    if (layer.ffn && f !== undefined) {
      const width = prunedWidth(layer.ffn.intermediateSize, f);
      if (width !== layer.ffn.intermediateSize) note(changes.ffn, `FFN ${digits(layer.ffn.intermediateSize)} → ${digits(width)}`, g);
      next = { ...next, ffn: pruneFfn(layer.ffn, width, prefix, inv, edits) };
    }
    return next;
  });
  const modules = replaceModules(inv, edits);
  let g = 0;
  const stacks = anatomy.stacks.map((s) => ({ ...s, layers: s.layers.map(() => layers[g++]!) }));
  const uniform = (pick: (l: LayerAnatomy) => number | undefined) => {
    const vals = new Set(layers.map(pick).filter((v) => v !== undefined));
    return vals.size === 1 ? [...vals][0] : undefined;
  };
  const H = uniform((l) => l.selfAttention?.heads);
  const G = uniform((l) => l.selfAttention?.kvHeads);
  const I = uniform((l) => l.ffn?.intermediateSize);
  const dims = { ...inv.dims, ...(H !== undefined ? { numAttentionHeads: H } : {}), ...(G !== undefined ? { numKeyValueHeads: G } : {}), ...(I !== undefined ? { intermediateSize: I } : {}) };
  const config = prunedConfig(inv.config, H, G, I);
  const where = (ids: number[]) => (ids.length === all.length ? `all ${all.length} layers` : `layers ${rangesText(ids)}`);
  const parts = [...changes.heads, ...changes.ffn].map(([text, ids]) => `${text} in ${where(ids)}`);
  const shared = all.flatMap((l) => [l.layer.selfAttention, l.layer.crossAttention]).filter((a) => a !== undefined && a.kvHeads < a.heads);
  const modes = new Set(shared.map((a) => effectiveMode(a!, mode)));
  const gqa = shared.length === 0 ? "; whole heads" : [...modes].map((m) => (m === "groups" ? "; whole KV groups" : "; query heads within each KV group")).join("");
  const summary = `prune: ${parts.length ? parts.join(", ") : "nothing removed"}${changes.heads.size ? gqa : ""}; ${totalsText(inv, modules)}`;
  return { inv: { ...inv, modules, dims, ...(config ? { config } : {}), anatomy: { ...anatomy, stacks } }, summary };
}

/** The config keys PEFT's prompt learning reads, set to the pruned sizes when every layer has the same. */
function prunedConfig(config: Inventory["config"], H: number | undefined, G: number | undefined, I: number | undefined): Inventory["config"] {
  if (!config) return config;
  const out: Record<string, unknown> = { ...config };
  for (const k of ["num_attention_heads", "n_head", "num_heads", "n_heads"]) if (H !== undefined && k in out) out[k] = H;
  if (G !== undefined && ("num_key_value_heads" in out || G !== H)) out["num_key_value_heads"] = G;
  for (const k of ["intermediate_size", "n_inner", "ffn_dim", "d_ff"]) if (I !== undefined && typeof out[k] === "number") out[k] = I;
  return out;
}

export const prune: TransformDef = {
  id: "prune",
  title: "Structured pruning (heads, FFN channels)",
  paper: "LLM-Pruner (Ma et al., 2023, arXiv:2305.11627); LoRAPrune (Zhang et al., 2023, arXiv:2305.18403); Light-PEFT (Gu et al., 2024, arXiv:2406.03792)",
  expression: "per layer: q/k/v/o lose removed heads · head_dim; gate/up rows and down columns lose removed channels; removed = ⌈f·n⌉ (kept = ⌊n·(1−f)⌋, torch-pruning's rounding)",
  options: [
    { key: "heads", text: "attention heads removed: a fraction (0.5, 25%) or a count of query heads (8); or one value per layer, comma-separated" },
    { key: "ffn", text: "FFN intermediate channels removed: a fraction or a count; or one value per layer" },
    { key: "gqa", text: "groups: whole KV groups (k/v heads with their query heads); queries: query heads within every group; auto: groups, or queries for multi-query attention (one KV head)", default: "auto" },
    { key: "layers", text: "layers pruned by a single value, e.g. 4-29 (LLM-Pruner's default block range)", default: "all" },
  ],
  exactness: "exact for the shapes given (which heads or channels go does not change a count); importance scores are not modelled",
  apply: applyPrune,
};
