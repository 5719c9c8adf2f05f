/**
 * `inspect` categories read from the family's declared anatomy (src/model/anatomy.ts), not guessed from
 * names: a module is claimed by the exact path the anatomy names (embeddings, head, norms, q/k/v/o,
 * FFN in/out, router), else by the nearest enclosing block (an attention block → attention, an FFN or
 * MoE block → mlp, a Mamba `mixer` → other), else it is "other". Inventories without an anatomy fall
 * back to `categoryByName` (the MoE families until they declare theirs).
 */
import type { Anatomy, LayerAnatomy } from "../model/anatomy.js";
import type { Inventory, ParamModule } from "../model/types.js";

export const CATEGORIES = ["embeddings", "attention", "mlp", "norms", "head", "other"] as const;
export type Category = (typeof CATEGORIES)[number];

export interface AnatomyClaims {
  /** full path → category, for the paths the anatomy names */
  readonly exact: ReadonlyMap<string, Category>;
  /** full path of a block → category of everything under it */
  readonly blocks: ReadonlyMap<string, Category>;
  /** paths the anatomy names under two different categories (a family bug) */
  readonly conflicts: readonly string[];
}

/** Layer-relative claims of one LayerAnatomy (computed once per distinct layer object). */
function layerClaims(l: LayerAnatomy): { exact: [string, Category][]; blocks: [string, Category][] } {
  const exact: [string, Category][] = [];
  const blocks: [string, Category][] = [];
  for (const a of [l.selfAttention, l.crossAttention]) {
    if (!a) continue;
    blocks.push([a.block, "attention"]);
    for (const p of [a.q, a.k, a.v, a.qkv, a.kv, a.o]) if (p !== undefined) exact.push([p, "attention"]);
  }
  if (l.ffn) {
    if (l.ffn.block !== undefined) blocks.push([l.ffn.block, "mlp"]);
    for (const p of [...l.ffn.in, l.ffn.out]) exact.push([p, "mlp"]);
  }
  if (l.experts) {
    blocks.push([l.experts.block, "mlp"], [l.experts.routed, "mlp"]);
    for (const s of l.experts.shared ?? []) blocks.push([s, "mlp"]);
    exact.push([l.experts.router, "mlp"]);
  }
  if (l.mixer !== undefined) blocks.push([l.mixer, "other"]);
  for (const n of l.norms) exact.push([n, "norms"]);
  return { exact, blocks };
}

/** Every path the anatomy names, with its category. */
export function anatomyClaims(a: Anatomy): AnatomyClaims {
  const exact = new Map<string, Category>();
  const blocks = new Map<string, Category>();
  const conflicts: string[] = [];
  const claim = (map: Map<string, Category>, path: string, c: Category): void => {
    const had = map.get(path);
    if (had !== undefined && had !== c) conflicts.push(`${path}: ${had} and ${c}`);
    else map.set(path, c);
  };
  for (const p of a.embeddings) claim(exact, p, "embeddings");
  for (const p of a.embeddingProjections ?? []) claim(exact, p, "embeddings");
  for (const p of a.head) claim(exact, p, "head");
  for (const p of a.norms ?? []) claim(exact, p, "norms");
  for (const s of a.stacks) {
    if (s.finalNorm !== undefined) claim(exact, s.finalNorm, "norms");
    const memo = new Map<LayerAnatomy, ReturnType<typeof layerClaims>>();
    s.layers.forEach((l, i) => {
      let rel = memo.get(l);
      if (!rel) memo.set(l, (rel = layerClaims(l)));
      const at = `${s.layersPath}.${i}.`;
      for (const [p, c] of rel.exact) claim(exact, at + p, c);
      for (const [p, c] of rel.blocks) claim(blocks, at + p, c);
    });
  }
  return { exact, blocks, conflicts };
}

/** The category of `name` under these claims: its exact claim, else the nearest enclosing block's, else "other". */
export function categoryFromClaims(claims: AnatomyClaims, name: string): Category {
  const c = claims.exact.get(name);
  if (c !== undefined) return c;
  for (let p = name; ; ) {
    const b = claims.blocks.get(p);
    if (b !== undefined) return b;
    const dot = p.lastIndexOf(".");
    if (dot < 0) return "other";
    p = p.slice(0, dot);
  }
}

/**
 * FALLBACK, for inventories without a declared anatomy only (the MoE families until they declare theirs):
 * the category guessed from the module's name and kind. Do not extend it; declare the family's anatomy.
 */
export function categoryByName(m: ParamModule, inv: Inventory): Category {
  const n = m.name;
  if (m.kind === "embedding" || /(^|\.)(wte|wpe|embed|shared)/.test(n)) return "embeddings";
  if (n === inv.outputEmbeddings || /^(lm_head|score|classifier|qa_outputs|classification_head|embed_out|cls|pooler|pre_classifier)(\.|$)/.test(n) || /\.pooler\./.test(n)) return "head";
  if (m.kind === "norm") return "norms";
  if (/attn|attention|Attention|query_key_value|\.(q|k|v|o)(_proj)?$|qkv/.test(n)) return "attention";
  if (/mlp|fc\d|DenseReluDense|intermediate|output\.dense|experts|expert|c_fc|dense_h_to_4h|dense_4h_to_h|ffn|lin\d/.test(n)) return "mlp";
  return "other";
}

/** A categorizer for this inventory: from its anatomy when it has one, else by name (fallback). */
export function categorizer(inv: Inventory): (m: ParamModule) => Category {
  if (!inv.anatomy) return (m) => categoryByName(m, inv);
  const claims = anatomyClaims(inv.anatomy);
  return (m) => categoryFromClaims(claims, m.name);
}
