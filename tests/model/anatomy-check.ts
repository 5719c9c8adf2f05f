/**
 * What every declared anatomy must satisfy against the inventory it was declared with (used by
 * anatomy.test.ts): its paths exist with the right module kind, q/k/v/o and FFN widths follow from
 * heads · head_dim and the intermediate size, one LayerAnatomy per layer of the config's depth, layer
 * norms in registration order, and every module claimed by exactly one category.
 */
import { anatomyClaims, categoryFromClaims, type Category } from "../../src/report/categories.js";
import type { AttentionAnatomy, StackAnatomy } from "../../src/model/anatomy.js";
import { totalParams, type Inventory, type LinearModule, type ParamModule } from "../../src/model/types.js";

/** Problems found, one line each (empty when the anatomy is consistent). */
export function anatomyProblems(inv: Inventory): string[] {
  const a = inv.anatomy;
  if (!a) return ["no anatomy"];
  const out: string[] = [];
  const byName = new Map(inv.modules.map((m, i) => [m.name, { m, i }] as const));
  const names = inv.modules.map((m) => m.name);
  const get = (path: string, kinds: readonly ParamModule["kind"][], what: string): ParamModule | undefined => {
    const e = byName.get(path);
    if (!e) out.push(`${what} ${path}: no such module`);
    else if (!kinds.includes(e.m.kind)) out.push(`${what} ${path}: a ${e.m.kind}, expected ${kinds.join(" | ")}`);
    else return e.m;
    return undefined;
  };
  const linear = (path: string, what: string) => get(path, ["linear", "conv1d"], what) as LinearModule | undefined;
  const width = (path: string | undefined, want: number, what: string, side: "out" | "in" = "out"): void => {
    if (path === undefined) return;
    const m = linear(path, what);
    const got = m && (side === "out" ? m.outFeatures : m.inFeatures);
    if (m && got !== want) out.push(`${what} ${path}: ${side} features ${got}, expected ${want}`);
  };
  const block = (path: string, what: string): void => {
    if (!byName.has(path) && !names.some((n) => n.startsWith(`${path}.`))) out.push(`${what} block ${path}: no module under it`);
  };

  if (a.hiddenSize !== inv.dims.hiddenSize) out.push(`hiddenSize ${a.hiddenSize} ≠ dims ${inv.dims.hiddenSize}`);
  if (a.vocabSize !== inv.dims.vocabSize) out.push(`vocabSize ${a.vocabSize} ≠ dims ${inv.dims.vocabSize}`);
  for (const p of a.embeddings) get(p, ["embedding"], "embedding");
  if (a.embeddings[0] !== inv.inputEmbeddings) out.push(`embeddings[0] ${a.embeddings[0]} is not the input embedding ${inv.inputEmbeddings}`);
  for (const p of a.embeddingProjections ?? []) linear(p, "embedding projection");
  for (const p of a.norms ?? []) get(p, ["norm"], "norm");
  for (const p of a.head) get(p, ["linear", "conv1d", "embedding", "norm", "other"], "head");
  if (inv.outputEmbeddings !== undefined && !a.head.includes(inv.outputEmbeddings)) out.push(`head lacks the output embedding ${inv.outputEmbeddings}`);

  const hasEncoder = a.stacks.some((s) => s.role === "encoder");
  const depth = (s: StackAnatomy) => (s.role === "decoder" && (hasEncoder || inv.dims.numDecoderLayers !== undefined) ? inv.dims.numDecoderLayers! : inv.dims.numHiddenLayers);
  for (const s of a.stacks) {
    if (s.layers.length !== depth(s)) out.push(`${s.role} stack ${s.layersPath}: ${s.layers.length} layers, config has ${depth(s)}`);
    if (s.finalNorm !== undefined) get(s.finalNorm, ["norm"], "final norm");
    s.layers.forEach((l, i) => {
      const at = (rel: string) => `${s.layersPath}.${i}.${rel}`;
      const attention = (x: AttentionAnatomy | undefined, what: string) => {
        if (!x) return;
        block(at(x.block), what);
        const q = x.heads * x.headDim;
        const kv = x.kvHeads * x.headDim;
        if (x.q !== undefined) width(at(x.q), q, `${what} q`);
        if (x.k !== undefined) width(at(x.k), kv, `${what} k`);
        if (x.v !== undefined) width(at(x.v), kv, `${what} v`);
        if (x.qkv !== undefined) width(at(x.qkv), q + 2 * kv, `${what} qkv`);
        if (x.kv !== undefined) width(at(x.kv), 2 * kv, `${what} kv`);
        if (x.qkv === undefined && (x.q === undefined || (x.kv === undefined && (x.k === undefined || x.v === undefined)))) out.push(`${what} at ${at(x.block)}: q, k, v not all declared`);
        width(at(x.o), a.hiddenSize, `${what} o`);
        for (const p of [x.q, x.k, x.v, x.qkv, x.kv, x.o]) if (p !== undefined && !p.startsWith(`${x.block}.`)) out.push(`${what} ${p} is not under its block ${x.block}`);
      };
      attention(l.selfAttention, "self-attention");
      attention(l.crossAttention, "cross-attention");
      if (l.ffn) {
        const f = l.ffn;
        if (f.block !== undefined) block(at(f.block), "ffn");
        const each = f.gated && f.in.length === 1 ? 2 * f.intermediateSize : f.intermediateSize;
        if (f.gated && f.in.length > 2) out.push(`gated ffn with ${f.in.length} in projections`);
        for (const p of f.in) width(at(p), each, "ffn in");
        width(at(f.out), f.intermediateSize, "ffn out", "in");
        width(at(f.out), a.hiddenSize, "ffn out");
      }
      if (l.mixer !== undefined) block(at(l.mixer), "mixer");
      let last = -1;
      for (const n of l.norms) {
        if (!get(at(n), ["norm"], "layer norm")) continue;
        const idx = byName.get(at(n))!.i;
        if (idx < last) out.push(`layer norm ${at(n)} out of registration order`);
        last = idx;
      }
    });
  }

  const claims = anatomyClaims(a);
  out.push(...claims.conflicts.map((c) => `claimed twice: ${c}`));
  let sum = 0;
  for (const m of inv.modules) {
    const c = categoryFromClaims(claims, m.name);
    if (c === "other" && !claims.blocks.has(m.name) && ![...claims.blocks.keys()].some((b) => claims.blocks.get(b) === "other" && m.name.startsWith(`${b}.`)))
      out.push(`${m.name} (${m.className}) is claimed by nothing`);
    for (const p of m.params) if (p.tiedTo === undefined) sum += p.shape.reduce((x, y) => x * y, 1);
  }
  if (sum !== totalParams(inv.modules)) out.push(`category totals ${sum} ≠ baseParams ${totalParams(inv.modules)}`);
  return out;
}

/** Modules in category "other", by name. */
export function othersOf(inv: Inventory): string[] {
  const claims = anatomyClaims(inv.anatomy!);
  return inv.modules.filter((m) => categoryFromClaims(claims, m.name) === ("other" satisfies Category)).map((m) => m.name);
}
