/**
 * Tensors a method's adapter file holds beyond its trainable parameters (frozen projections and bases, index
 * buffers), and the saved forms that differ from the trainable tensors. Each rule read from the method's
 * `_get_adapter_state_dict` / `update_layer` in peft 0.21.0 and checked against files PEFT writes
 * (tests/size/frozen-tensors.test.ts):
 * - VeRA (vera/model.py): `base_model.vera_A` [r, max d_in], `vera_B` [max d_out, r] with save_projection;
 * - PVeRA (pvera/model.py): `base_model.pvera_A` [2r, max d_in], `pvera_B` [max d_out, r] with save_projection
 *   (the per-layer references are dropped);
 * - RandLoRA (randlora/model.py `_find_dim`, `_init_randlora_A_randlora_B`): with (O, I) the largest out / in
 *   over the wrapped layers, randlora_A [r, 1, min(O, I)] and randlora_B [max(O, I), n, r], n = ⌈min(O, I)/r⌉,
 *   saved once under `base_model.` and once more under every wrapped layer (the default state-dict filter keeps
 *   each layer's reference), all with save_projection, whatever sparse / very_sparse / projection_prng_key;
 * - FRoD (frod/model.py): per category, `base_model.frod_V.<c>` [d_in, d_in] in the base model's dtype and
 *   `frod_s_indices.<c>` [2, nnz] / `frod_s_size.<c>` [2] as int64, with save_projection;
 * - TinyLoRA (tinylora/model.py, layer.py `_init_svd`): every wrapped layer's frozen SVD factors tinylora_A
 *   [r', d_in] and tinylora_B [d_out, r'] (r' = min(r, d_in, d_out); an embedding: [r', dim], [vocab, r']) are
 *   always saved, tinylora_P [u, r', r'] with save_projection, and each shared vector as `base_model.tinylora_v.<i>` [u];
 * - VBLoRA with save_only_topk_weights (vblora/model.py): each logits tensor [a, b, num_vectors] saved as
 *   `_topk_indices` [a, b, topk] (uint8 / int16 / int32 / int64 by num_vectors) and `_topk_weights` [a, b, topk − 1];
 * - SHiRA: `shira_indices` [2, nnz] int32; Super-Tuning: `supertuning_indices` [nnz] int32 with save_precomputed_indices;
 * - DeLoRA: each layer's input norms `delora_w_norm` [d_in] (delora/layer.py);
 * - AdaMSS: each layer's frozen `adamss_newB` [d_out, d_in] (its A / B split depends on the weights: names inferred);
 * - GLoRA and LiLy: layer-tensors.ts.
 * Dtypes: LN tuning's and adaption prompt's tensors follow the base model's load dtype (SHADOW: layer-tensors.ts).
 */
import { frodCategory, frodNnz } from "../../formulas/peft/frod.js";
import { TINYLORA_TARGETS } from "../peft/default-targets.js";
import { engineWrapped, layerTensors } from "./layer-tensors.js";
import type { Inventory, ParamModule } from "../model/types.js";
import type { TensorTag } from "./safetensors-header.js";
import type { RowLike, SavedTensor, SizeContext } from "./saved-tensors.js";
import { inOf, outOf } from "./tensor-shapes.js";

const PREFIX = "base_model.model.";
const num = (o: Readonly<Record<string, unknown>>, k: string, d = 0) => (typeof o[k] === "number" ? (o[k] as number) : d);
const saveProjection = (row: RowLike) => row.options["save_projection"] !== false;

/** The wrapped layers named by the adapter tensors ending in `.<param>`, in file order. */
function wrappedBy(inv: Inventory, tensors: readonly SavedTensor[], param: string): ParamModule[] {
  const byName = new Map(inv.modules.map((m) => [m.name, m] as const));
  const out: ParamModule[] = [];
  for (const t of tensors) {
    if (t.kind !== "adapter" || !t.name.endsWith(`.${param}`)) continue;
    const m = byName.get(t.name.slice(PREFIX.length, -param.length - 1));
    if (m) out.push(m);
  }
  return out;
}

/** The largest out and in features over the layers (PEFT's `_find_dim`: element-wise max of (out, in)). */
function largest(modules: readonly ParamModule[]): [number, number] {
  let [o, i] = [0, 0];
  for (const m of modules) [o, i] = [Math.max(o, outOf(m) ?? 0), Math.max(i, inOf(m) ?? 0)];
  return [o, i];
}

const shared = (name: string, shape: number[], exactName = true, storage?: SavedTensor["storage"]): SavedTensor => ({ name, shape, kind: "shared", exactShape: true, exactName, ...(storage ? { storage } : {}) });

function vera(inv: Inventory, row: RowLike, tensors: readonly SavedTensor[], method: "vera" | "pvera"): SavedTensor[] {
  if (!saveProjection(row)) return [];
  const [o, i] = largest(wrappedBy(inv, tensors, `${method}_lambda_b`));
  const r = num(row.options, "r");
  return [shared(`base_model.${method}_A`, [method === "pvera" ? 2 * r : r, i]), shared(`base_model.${method}_B`, [o, r])];
}

function randlora(inv: Inventory, row: RowLike, tensors: readonly SavedTensor[]): SavedTensor[] {
  if (!saveProjection(row)) return [];
  const wrapped = wrappedBy(inv, tensors, "randlora_lambda");
  const r = num(row.options, "r");
  const [o, i] = largest(wrapped);
  const [min, max] = [Math.min(o, i), Math.max(o, i)];
  const a = [r, 1, min];
  const b = [max, Math.ceil(min / r), r];
  const exactName = tensors.every((t) => t.exactName);
  const out = [shared("base_model.randlora_A", a), shared("base_model.randlora_B", b)];
  for (const m of wrapped) out.push(shared(`${PREFIX}${m.name}.randlora_A`, a, exactName), shared(`${PREFIX}${m.name}.randlora_B`, b, exactName));
  return out;
}

function frod(inv: Inventory, row: RowLike, tensors: readonly SavedTensor[]): SavedTensor[] {
  if (!saveProjection(row)) return [];
  const rate = num(row.options, "sparse_rate", 0.01);
  const categories = new Map<string, number>();
  for (const m of wrappedBy(inv, tensors, "frod_lambda_l")) categories.set(frodCategory(m.name), inOf(m) ?? 0);
  return [...categories].flatMap(([c, d]) => [
    shared(`base_model.frod_V.${c}`, [d, d], true, "base"),
    shared(`base_model.frod_s_indices.${c}`, [2, frodNnz(d, rate)], true, "I64"),
    shared(`base_model.frod_s_size.${c}`, [2], true, "I64"),
  ]);
}

function tinylora(ctx: SizeContext, row: RowLike, tensors: readonly SavedTensor[]): SavedTensor[] {
  const u = num(row.options, "u", 64);
  const v = tensors.find((t) => t.name === "base_model.tinylora_v");
  const groups = v ? v.shape[0]! / u : 0;
  const out: SavedTensor[] = tensors.filter((t) => t !== v);
  for (let g = 0; g < groups; g++) out.push(shared(`base_model.tinylora_v.${g}`, [u]));
  const r = num(row.options, "r", 2);
  // TinyLoRA's wrapped layers are not in the row's parts (only v trains): found with the engine's own targeting
  for (const m of engineWrapped(ctx.inv, row, ctx.versions, "tinylora", TINYLORA_TARGETS, ["linear", "conv1d", "embedding"])) {
    const [rows, cols] = m.kind === "embedding" ? [m.numEmbeddings, m.embeddingDim] : [outOf(m) ?? 0, inOf(m) ?? 0];
    const rr = Math.min(r, rows, cols);
    out.push(shared(`${PREFIX}${m.name}.tinylora_A`, [rr, cols]), shared(`${PREFIX}${m.name}.tinylora_B`, [rows, rr]));
    if (saveProjection(row)) out.push(shared(`${PREFIX}${m.name}.tinylora_P`, [u, rr, rr]));
  }
  return out;
}

/** The smallest integer dtype PEFT stores VBLoRA's top-k indices in. */
function indexTag(numVectors: number): TensorTag {
  return numVectors < 2 ** 8 ? "U8" : numVectors < 2 ** 15 ? "I16" : numVectors < 2 ** 31 ? "I32" : "I64";
}

function vblora(row: RowLike, saved: readonly SavedTensor[]): SavedTensor[] {
  const [n, l] = [num(row.options, "num_vectors", 256), num(row.options, "vector_length", 256)];
  // the shared vector bank [num_vectors, vector_length]
  const tensors = saved.map((t) => (t.name === "base_model.vblora_vector_bank" && t.shape[0] === n * l ? { ...t, shape: [n, l], exactShape: true } : t));
  if (row.options["save_only_topk_weights"] !== true) return tensors;
  const k = num(row.options, "topk", 2);
  const tag = indexTag(n);
  return tensors.flatMap((t): SavedTensor[] => {
    if (!/\.vblora_logits_[AB]$/.test(t.name) || t.shape.length !== 3) return [t];
    const [a, b] = t.shape as [number, number, number];
    return [
      { ...t, name: `${t.name}_topk_indices`, shape: [a, b, k], storage: tag },
      { ...t, name: `${t.name}_topk_weights`, shape: [a, b, k - 1] },
    ];
  });
}

/** Integer index buffers saved next to a sparse method's values. */
function indices(row: RowLike, tensors: readonly SavedTensor[], peftType: string): SavedTensor[] {
  const [param, key] = peftType === "SHIRA" ? ["shira_weight", "shira_indices"] : ["supertuning_values", "supertuning_indices"];
  if (peftType === "SUPERTUNING" && row.options["save_precomputed_indices"] === false) return [];
  return tensors.flatMap((t): SavedTensor[] => {
    if (t.kind !== "adapter" || !t.name.endsWith(`.${param}`)) return [];
    const n = t.shape.reduce((a, b) => a * b, 1);
    return [{ ...t, name: `${t.name.slice(0, -param.length)}${key}`, shape: peftType === "SHIRA" ? [2, n] : [n], kind: "shared", storage: "I32" }];
  });
}

function deloraNorms(inv: Inventory, tensors: readonly SavedTensor[]): SavedTensor[] {
  return wrappedBy(inv, tensors, "delora_lambda").flatMap((m) => {
    const i = inOf(m);
    const t = tensors.find((x) => x.name === `${PREFIX}${m.name}.delora_lambda`);
    return i ? [shared(`${PREFIX}${m.name}.delora_w_norm`, [i], t?.exactName ?? true)] : [];
  });
}

/** The row's saved tensors completed with what its method saves besides its trainable parameters. */
export function withFrozenTensors(ctx: SizeContext, row: RowLike, tensors: readonly SavedTensor[]): SavedTensor[] {
  const perLayer = layerTensors(ctx.peftType, ctx.inv, row, tensors, ctx.versions);
  if (perLayer) return perLayer;
  switch (ctx.peftType) {
    case "VERA":
      return [...tensors, ...vera(ctx.inv, row, tensors, "vera")];
    case "PVERA":
      return [...tensors, ...vera(ctx.inv, row, tensors, "pvera")];
    case "RANDLORA":
      return [...tensors, ...randlora(ctx.inv, row, tensors)];
    case "FROD":
      return [...tensors, ...frod(ctx.inv, row, tensors)];
    case "TINYLORA":
      return tinylora(ctx, row, tensors);
    case "VBLORA":
      return vblora(row, tensors);
    case "SHIRA":
    case "SUPERTUNING":
      return [...tensors, ...indices(row, tensors, ctx.peftType)];
    case "DELORA":
      return [...tensors, ...deloraNorms(ctx.inv, tensors)];
    case "UNILORA":
      // the one shared vector theta_d is 1-D (unilora/model.py)
      return tensors.map((t) => (t.name === "base_model.unilora_theta_d" ? { ...t, exactShape: true } : t));
    case "ADAMSS":
      // adamss/layer.py: the frozen projection adamss_newB [d_out, d_in] of every wrapped layer (a buffer)
      return [...tensors, ...wrappedBy(ctx.inv, tensors, "adamss_A").map((m) => shared(`${PREFIX}${m.name}.adamss_newB`, [outOf(m) ?? 0, inOf(m) ?? 0], false))];
    case "LN_TUNING":
    case "ADAPTION_PROMPT":
      // trainable copies of base layers / prompts made in the base model's dtype
      return tensors.map((t) => ({ ...t, storage: "base" }));
    default:
      return [...tensors];
  }
}
