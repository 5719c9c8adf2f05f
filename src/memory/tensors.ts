/**
 * What a method makes the device hold besides the frozen base, read from its ParamBreakdown: groups of tensors
 * with their element count, dtype and whether they train.
 *
 * - Full fine-tuning trains every base tensor in place (load dtype).
 * - `bias` / `base` parts train base tensors in place (load dtype; already in the base weights).
 * - `copy` parts (modules_to_save, LN tuning) are deep copies of base modules: base dtype, in addition to the
 *   frozen original (peft utils/other.py ModulesToSaveWrapper); a copy of a tied weight is a tensor of its own.
 * - every other part (adapter, shared, prompt, delta) is a tensor PEFT creates: created in fp32 (torch's
 *   default dtype), moved to the base layer's dtype when that is a float dtype, then cast back to fp32 by
 *   `_cast_adapter_dtype` when autocast_adapter_dtype=True (the default; peft tuners/tuners_utils.py); on a
 *   bitsandbytes layer the base weight is not a float tensor, so it stays fp32. Prompt encoders stay fp32.
 * - frozen added parameters (allParams − base − trainable added) are adapter tensors too, without gradients.
 * Per-tensor sizes inside a part are taken as equal (count / modules): exact unless a rank_pattern gives one
 * part's modules different ranks; only bitsandbytes' small-tensor rule and block counts depend on that.
 */
import type { Inventory } from "../model/types.js";
import { groupName, numel } from "../model/types.js";
import { baseTensors } from "./weights.js";
import type { Dtype, PartLike } from "./types.js";

export interface TensorGroup {
  readonly name: string;
  /** how many tensors of `numelEach` elements */
  readonly tensors: bigint;
  readonly numelEach: bigint;
  /** the shape of each tensor, where it is known (base tensors and their copies) */
  readonly shape?: readonly number[];
  readonly dtype: Dtype;
  /** the weight of an nn.Embedding (the Trainer gives it 32-bit bitsandbytes optimizer states) */
  readonly embedding: boolean;
  /** a weight of the output head (get_output_embeddings) or its copy: Muon leaves it to AdamW */
  readonly head?: boolean;
  /** a base tensor that is the `weight` of a Linear module: that module's name (GaLore's targets) */
  readonly linearWeightOf?: string;
  /** true: a base tensor trained in place (its bytes are in the base weights already) */
  readonly inPlace: boolean;
  readonly trainable: boolean;
}

export const groupBytes = (g: TensorGroup, bytesPerElement: bigint): bigint => g.tensors * g.numelEach * bytesPerElement;
export const groupNumel = (g: TensorGroup): bigint => g.tensors * g.numelEach;

const COPY_SUFFIX = " (modules_to_save copy)";
const ADDED_KINDS = new Set<string | undefined>(["adapter", "shared", "prompt", "delta", undefined]);

export interface Dtypes {
  /** base tensors that are not quantized (and copies of them) */
  readonly base: Dtype;
  /** tensors PEFT creates */
  readonly adapter: Dtype;
}

/** Every base tensor, trained in place (full fine-tuning). */
export function fullTensors(inv: Inventory, dtype: Dtype): TensorGroup[] {
  return baseTensors(inv).map((t) => ({ name: t.name, tensors: 1n, numelEach: t.numel, shape: t.shape, dtype, embedding: t.module.kind === "embedding", head: t.module.name === inv.outputEmbeddings, ...(t.module.kind === "linear" && t.name === `${t.module.name}.weight` ? { linearWeightOf: t.module.name } : {}), inPlace: true, trainable: true }));
}

/** The tensors of a modules_to_save copy of `path`: every distinct tensor of the leaves under it. */
function copyTensors(inv: Inventory, path: string, dtype: Dtype): TensorGroup[] | undefined {
  const under = (n: string) => n === path || n.startsWith(`${path}.`);
  const seen = new Set<string>();
  const out: TensorGroup[] = [];
  for (const m of inv.modules) {
    if (!under(m.name) && !(m.aliases ?? []).some(under)) continue;
    for (const p of m.params) {
      const id = p.tiedTo !== undefined && seen.has(p.tiedTo) ? p.tiedTo : `${m.name}.${p.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ name: `${m.name}.${p.name} (copy)`, tensors: 1n, numelEach: BigInt(numel(p.shape)), shape: p.shape, dtype, embedding: m.kind === "embedding", head: m.name === inv.outputEmbeddings, inPlace: false, trainable: true });
    }
  }
  return out.length > 0 ? out : undefined;
}

function uniform(inv: Inventory, p: PartLike, dtype: Dtype, inPlace: boolean): TensorGroup {
  const tensors = BigInt(Math.max(1, p.modules));
  const count = BigInt(p.count);
  // a part whose count does not split evenly over its modules: one tensor per module is not its layout; keep
  // the total exact (one tensor of the whole count)
  const even = count % tensors === 0n;
  const numelEach = even ? count / tensors : count;
  const shape = even ? shapeOf(inv, p, numelEach) : undefined;
  return { name: p.name, tensors: even ? tensors : 1n, numelEach, ...(shape ? { shape } : {}), dtype, embedding: false, inPlace, trainable: true };
}

/**
 * Shapes PEFT gives its LoRA tensors (tuners/lora/layer.py update_layer): lora_A [r, in], lora_B [out, r],
 * lora_embedding_A [r, num_embeddings], lora_embedding_B [embedding_dim, r], lora_magnitude_vector [out];
 * a bias part is 1-D. The module is found from the part's name pattern; any other tensor's shape is unknown.
 */
function shapeOf(inv: Inventory, p: PartLike, n: bigint): number[] | undefined {
  if (p.kind === "bias") return [Number(n)];
  const dot = p.name.lastIndexOf(".");
  const param = p.name.slice(dot + 1);
  if (!/^lora_(A|B|embedding_A|embedding_B|magnitude_vector)$/.test(param)) return undefined;
  const pattern = p.name.slice(0, dot);
  const m = inv.modules.find((x) => groupName(x.name) === pattern);
  if (!m) return undefined;
  const [inn, out] = m.kind === "embedding" ? [m.numEmbeddings, m.embeddingDim] : m.kind === "linear" || m.kind === "conv1d" ? [m.inFeatures, m.outFeatures] : [0, 0];
  if (inn === 0) return undefined;
  const split = (d: number) => (n % BigInt(d) === 0n ? Number(n / BigInt(d)) : undefined);
  if (param === "lora_magnitude_vector") return n === BigInt(out) ? [out] : undefined;
  const r = split(param.endsWith("A") ? inn : out);
  if (r === undefined) return undefined;
  return param.endsWith("A") ? [r, inn] : [out, r];
}

/** The groups of a method's trainable tensors (and of its frozen added ones). */
export function methodTensors(inv: Inventory, method: string, parts: readonly PartLike[], frozenAdded: bigint, d: Dtypes): TensorGroup[] {
  if (method === "full") return fullTensors(inv, d.base);
  const out: TensorGroup[] = [];
  for (const p of parts) {
    if (p.kind === "copy") {
      const path = p.name.endsWith(COPY_SUFFIX) ? p.name.slice(0, -COPY_SUFFIX.length) : undefined;
      const exact = path !== undefined ? copyTensors(inv, path, d.base) : undefined;
      if (exact && exact.reduce((s, g) => s + groupNumel(g), 0n) === BigInt(p.count)) out.push(...exact);
      else out.push(uniform(inv, p, d.base, false));
    } else if (p.kind === "bias" || p.kind === "base") out.push(uniform(inv, p, d.base, true));
    else if (ADDED_KINDS.has(p.kind)) out.push(uniform(inv, p, p.kind === "prompt" ? "fp32" : d.adapter, false));
  }
  if (frozenAdded > 0n) out.push({ name: "frozen added parameters", tensors: 1n, numelEach: frozenAdded, dtype: d.adapter, embedding: false, inPlace: false, trainable: false });
  return out;
}
