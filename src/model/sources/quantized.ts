/**
 * Quantized checkpoints store fewer (or packed) elements than the model's logical parameters. Recognised from
 * tensor names and dtypes alone (no data is read):
 * - bitsandbytes 4-bit: `W.weight` uint8 holding two 4-bit values per byte, beside `W.weight.absmax`,
 *   `.quant_map`, `.quant_state.bitsandbytes__nf4|fp4` (and nested_* for double quantisation);
 * - bitsandbytes 8-bit: `W.weight` int8 beside `W.SCB` (and `W.weight_format`);
 * - GPTQ / AWQ: `W.qweight` int32 packing 32/bits values, `W.qzeros`, `W.scales` [groups, out], GPTQ's `W.g_idx` [in];
 * - FP8: `W.weight` float8 beside `W.weight_scale_inv` / `W.weight_scale` / `W.input_scale`;
 * - MXFP4 (gpt-oss): `W_blocks` uint8 [..., groups, 16] two FP4 values per byte, `W_scales` one per group.
 * The logical count is what the unquantized model would hold; scale/zero/index tensors are not parameters of it.
 */
import { elements, type TensorEntry } from "./safetensors.js";

export interface QuantSummary {
  /** schemes recognised, e.g. ["bnb-4bit"] */
  readonly schemes: readonly string[];
  /** elements stored in the file */
  readonly stored: number;
  /** parameters of the model the checkpoint quantizes */
  readonly logical: number;
}

const BNB4_AUX = /\.weight\.(absmax|quant_map|nested_absmax|nested_quant_map|quant_state\.bitsandbytes__(nf4|fp4))$/;
const BNB8_AUX = /\.(SCB|weight_format)$/;
const FP8_AUX = /\.(weight_scale_inv|weight_scale|input_scale)$/;
const GPTQ_AUX = /\.(qzeros|scales|g_idx)$/;

export function quantSummary(tensors: readonly TensorEntry[]): QuantSummary {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const schemes = new Set<string>();
  let stored = 0;
  let logical = 0;
  for (const t of tensors) {
    const n = elements(t.shape);
    stored += n;
    if (BNB4_AUX.test(t.name)) {
      schemes.add("bnb-4bit");
      continue;
    }
    if (t.name.endsWith(".weight") && t.dtype === "U8" && byName.has(`${t.name}.absmax`)) {
      logical += n * 2;
      continue;
    }
    if (BNB8_AUX.test(t.name) && byName.has(t.name.replace(BNB8_AUX, ".weight"))) {
      schemes.add("bnb-8bit");
      continue;
    }
    if (FP8_AUX.test(t.name)) {
      schemes.add("fp8");
      continue;
    }
    if (t.name.endsWith(".qweight")) {
      schemes.add("gptq/awq");
      logical += packedLinear(t, byName);
      continue;
    }
    if (GPTQ_AUX.test(t.name) && byName.has(t.name.replace(GPTQ_AUX, ".qweight"))) continue;
    if (t.name.endsWith("_scales") && byName.has(t.name.replace(/_scales$/, "_blocks"))) {
      schemes.add("mxfp4");
      continue;
    }
    if (t.name.endsWith("_blocks") && t.dtype === "U8") {
      logical += n * 2;
      continue;
    }
    logical += n;
  }
  return { schemes: [...schemes], stored, logical };
}

/** in × out of a GPTQ (qweight [in/pack, out]) or AWQ (qweight [in, out/pack]) linear; out from `scales`. */
function packedLinear(q: TensorEntry, byName: ReadonlyMap<string, TensorEntry>): number {
  const base = q.name.slice(0, -".qweight".length);
  const scales = byName.get(`${base}.scales`);
  const [rows = 0, cols = 0] = q.shape;
  if (!scales || scales.shape.length !== 2) return elements(q.shape) * 8; // 4-bit in int32: 8 per element
  const out = scales.shape[1]!;
  if (cols === out) {
    // GPTQ: rows = in / pack; pack from qzeros [groups, out / pack], else g_idx gives in directly
    const gIdx = byName.get(`${base}.g_idx`);
    if (gIdx) return gIdx.shape[0]! * out;
    const zeros = byName.get(`${base}.qzeros`);
    const pack = zeros && zeros.shape[1] ? out / zeros.shape[1] : 8;
    return rows * pack * out;
  }
  return rows * out; // AWQ
}
