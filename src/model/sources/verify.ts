/**
 * `verify`: the tensors a checkpoint holds against the parameters of the model peftcount builds from its config.
 * Expected names are `<module>.<param>` as `model.state_dict()` names them; a parameter tied to another one
 * (`lm_head.weight` tied to the input embedding) may be stored or omitted (save_pretrained omits it).
 * Checkpoints of a bare model (`BertModel` saved as `bert.*`) are matched through the one prefix that
 * makes most names agree. Quantized tensors (see quantized.ts) are matched by their module, not their shape.
 */
import type { Inventory } from "../types.js";
import type { TensorEntry } from "./safetensors.js";

export interface VerifyResult {
  /** prefix removed from (or added to) checkpoint names to match the model, "" when none */
  readonly prefix: string;
  readonly matched: number;
  /** in the model, not in the checkpoint */
  readonly missing: readonly { name: string; shape: readonly number[] }[];
  /** in the checkpoint, not a parameter of the model (buffers, extra layers, other heads) */
  readonly extra: readonly { name: string; shape: readonly number[] }[];
  readonly shapeMismatch: readonly { name: string; model: readonly number[]; checkpoint: readonly number[] }[];
  /** checkpoint tensors that belong to a quantized module (not shape-checked) */
  readonly quantized: number;
}

const QUANT = /\.(qweight|qzeros|scales|g_idx|SCB|weight_format|weight_scale_inv|weight_scale|input_scale|weight\.absmax|weight\.quant_map|weight\.nested_absmax|weight\.nested_quant_map|weight\.quant_state\.bitsandbytes__(nf4|fp4))$|_(blocks|scales)$/;

export function verifyCheckpoint(inv: Inventory, tensors: readonly TensorEntry[]): VerifyResult {
  const expected = new Map<string, { shape: readonly number[]; tied: boolean }>();
  for (const m of inv.modules) for (const p of m.params) expected.set(`${m.name}.${p.name}`, { shape: p.shape, tied: p.tiedTo !== undefined });
  const prefix = bestPrefix(expected, tensors);
  const rename = (n: string) => (prefix.startsWith("+") ? `${prefix.slice(1)}${n}` : n.startsWith(prefix) ? n.slice(prefix.length) : n);
  const seen = new Set<string>();
  const extra: VerifyResult["extra"][number][] = [];
  const shapeMismatch: VerifyResult["shapeMismatch"][number][] = [];
  const quantModules = new Set<string>();
  let quantized = 0;
  for (const t of tensors) {
    const name = rename(t.name);
    const e = expected.get(name);
    if (e) {
      seen.add(name);
      const quantWeight = t.dtype === "U8" || t.dtype === "I8" || t.dtype.startsWith("F8");
      if (e.shape.join() !== t.shape.join() && !(quantWeight && e.shape.length === 2)) shapeMismatch.push({ name, model: e.shape, checkpoint: t.shape });
      else if (e.shape.join() !== t.shape.join()) quantized++;
      continue;
    }
    if (QUANT.test(name)) {
      const weight = `${name.replace(QUANT, "")}${/_(blocks|scales)$/.test(name) ? "" : ".weight"}`;
      if (expected.has(weight)) {
        quantModules.add(weight);
        quantized++;
        continue;
      }
    }
    extra.push({ name, shape: t.shape });
  }
  for (const w of quantModules) seen.add(w);
  const missing = [...expected].filter(([n, e]) => !seen.has(n) && !e.tied).map(([name, e]) => ({ name, shape: e.shape }));
  return { prefix, matched: seen.size, missing, extra, shapeMismatch, quantized };
}

/** "" or the first segment of the checkpoint names ("bert.") to strip, or "+model." to add: whichever matches most. */
function bestPrefix(expected: ReadonlyMap<string, unknown>, tensors: readonly TensorEntry[]): string {
  const firsts = new Set(tensors.map((t) => `${t.name.split(".")[0]}.`));
  const roots = new Set([...expected.keys()].map((n) => `+${n.split(".")[0]}.`));
  let best = "";
  let bestScore = score("", expected, tensors);
  for (const p of [...firsts, ...roots]) {
    const s = score(p, expected, tensors);
    if (s > bestScore) [best, bestScore] = [p, s];
  }
  return best;
}

function score(prefix: string, expected: ReadonlyMap<string, unknown>, tensors: readonly TensorEntry[]): number {
  let n = 0;
  for (const t of tensors) {
    const name = prefix.startsWith("+") ? `${prefix.slice(1)}${t.name}` : t.name.startsWith(prefix) ? t.name.slice(prefix.length) : t.name;
    if (expected.has(name)) n++;
  }
  return n;
}
