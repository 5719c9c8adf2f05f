/**
 * Tensors a method keeps on the device that are not parameters: the frozen random projections of VeRA and
 * RandLoRA, the original rows trainable tokens replace. They count in memory (never in parameter counts).
 *
 * - VeRA (peft tuners/vera/model.py `_init_vera_A_vera_B`): vera_A [r, max_in], vera_B [max_out, r], shared by
 *   every wrapped layer, over the largest in / out features of the wrapped layers (`_find_dim`).
 * - RandLoRA (tuners/randlora/model.py): randlora_A [r, 1, min_dim], randlora_B [max_dim, num_bases, r] with
 *   num_bases = ceil(min_dim / r), min_dim / max_dim the smaller / larger of the largest out and in features.
 * - trainable tokens (tuners/trainable_tokens/layer.py): trainable_tokens_original, a clone of the replaced
 *   rows, as large as the delta (a tied head shares it).
 * They are BufferDict entries of the tuner layers, so `_cast_adapter_dtype` casts them like the adapter
 * weights (fp32 under autocast_adapter_dtype).
 */
import type { Inventory } from "../model/types.js";
import { groupName } from "../model/types.js";
import type { Dtype, PartLike } from "./types.js";

export interface BufferGroup {
  readonly name: string;
  readonly numel: bigint;
  readonly dtype: Dtype;
}

/** Largest (out, in) features of the modules a part's name pattern covers, e.g. `model.layers.*.self_attn.q_proj.vera_lambda_b`. */
function largestShape(inv: Inventory, parts: readonly PartLike[], param: string): { out: number; in: number } | undefined {
  const patterns = new Set(parts.filter((p) => p.name.endsWith(`.${param}`)).map((p) => p.name.slice(0, -param.length - 1)));
  let out = 0;
  let inn = 0;
  for (const m of inv.modules) {
    if ((m.kind !== "linear" && m.kind !== "conv1d") || !patterns.has(groupName(m.name))) continue;
    out = Math.max(out, m.outFeatures);
    inn = Math.max(inn, m.inFeatures);
  }
  return out > 0 ? { out, in: inn } : undefined;
}

export function methodBuffers(inv: Inventory, method: string, options: Readonly<Record<string, unknown>>, parts: readonly PartLike[], dtype: Dtype): BufferGroup[] {
  const out: BufferGroup[] = [];
  const r = typeof options["r"] === "number" ? BigInt(options["r"]) : undefined;
  if (method === "vera" && r !== undefined) {
    const s = largestShape(inv, parts, "vera_lambda_b");
    if (s) out.push({ name: "vera_A", numel: r * BigInt(s.in), dtype }, { name: "vera_B", numel: BigInt(s.out) * r, dtype });
  }
  if (method === "randlora" && r !== undefined) {
    const s = largestShape(inv, parts, "randlora_lambda");
    if (s) {
      const min = BigInt(Math.min(s.out, s.in));
      const max = BigInt(Math.max(s.out, s.in));
      const bases = (min + r - 1n) / r;
      out.push({ name: "randlora_A", numel: r * min, dtype }, { name: "randlora_B", numel: max * bases * r, dtype });
    }
  }
  for (const p of parts) if (p.kind === "delta") out.push({ name: `${p.name.replace(/trainable_tokens_delta$/, "")}trainable_tokens_original`, numel: BigInt(p.count), dtype });
  return out;
}
