/**
 * Shapes of the tensors a tuner layer saves, from the wrapped module and the tensor's element count, with the
 * key suffix PEFT writes (`lora_A.weight` for an nn.Linear, no suffix for a ParameterDict entry). One rule per
 * tensor name, each from the method's `update_layer` (peft src/peft/tuners/<method>/layer.py); a name without a
 * rule returns undefined and is written 1-D (saved-tensors.ts). Checked against files PEFT 0.21.0 writes
 * (tests/size/adapter-size.test.ts). Pure.
 */
import type { ParamModule } from "../model/types.js";
import { factorization } from "../peft/lycoris.js";

/** ParameterDict entries that are 1-D vectors */
const VECTORS = new Set(["lora_magnitude_vector", "vera_lambda_b", "vera_lambda_d", "pvera_lambda_b", "pvera_lambda_d", "fourierft_spectrum", "waveft_spectrum", "delora_lambda", "frod_lambda_l", "frod_lambda_s_values", "shira_weight", "supertuning_values", "road_alpha", "road_theta"]);

export const inOf = (m: ParamModule | undefined) => (m && (m.kind === "linear" || m.kind === "conv1d") ? m.inFeatures : undefined);
export const outOf = (m: ParamModule | undefined) => (m && (m.kind === "linear" || m.kind === "conv1d") ? m.outFeatures : undefined);

/** Saved key suffix and shape of one adapter tensor of `per` elements on module `m`. */
export function adapterTensor(param: string, m: ParamModule | undefined, per: number, peftType: string | null, options: Readonly<Record<string, unknown>>): { key: string; shape: number[] } | undefined {
  const split = (dim: number | undefined, first: boolean) => (dim && per % dim === 0 ? (first ? [dim, per / dim] : [per / dim, dim]) : undefined);
  const withShape = (key: string, shape: number[] | undefined) => (shape ? { key, shape } : undefined);
  // AdaLoRA's lora_A / lora_B / lora_E are ParameterDict entries (adalora/layer.py `update_layer`)
  const linear = peftType === "ADALORA" ? "" : ".weight";
  const int = (k: string) => (typeof options[k] === "number" ? (options[k] as number) : 0);
  switch (param) {
    case "lora_A":
      return withShape(`lora_A${linear}`, split(inOf(m), false));
    case "lora_B":
      return withShape(`lora_B${linear}`, split(outOf(m), true));
    case "lora_E":
      return { key: param, shape: [per, 1] };
    case "hra_u":
      return withShape(param, split(inOf(m), true));
    case "miss_block":
      return withShape(param, split(outOf(m), false));
    case "oft_R": {
      // blocks × b(b−1)/2 (oft/layer.py: an OFTRotationModule whose weight holds each block's upper triangle)
      const inF = inOf(m);
      const b = int("oft_block_size") > 0 ? int("oft_block_size") : inF && int("r") > 0 ? inF / int("r") : 0;
      const blocks = inF && b > 0 ? inF / b : 0;
      return Number.isInteger(blocks) && blocks > 0 && per % blocks === 0 ? { key: "oft_R.weight", shape: [blocks, per / blocks] } : undefined;
    }
    case "lokr_w1":
    case "lokr_w1_a":
    case "lokr_w1_b":
    case "lokr_w2":
    case "lokr_w2_a":
    case "lokr_w2_b": {
      // lokr/layer.py: in = in_m·in_n, out = out_l·out_k (`factorization`, src/peft/lycoris.ts); w1 [out_l, in_m], w2 [out_k, in_n], or their a·b factors
      const [i, o] = [inOf(m), outOf(m)];
      if (!i || !o) return undefined;
      const f = int("decompose_factor") || -1;
      const [inM, inN] = factorization(i, f);
      const [outL, outK] = factorization(o, f);
      const [rows, cols] = param.startsWith("lokr_w1") ? [outL, inM] : [outK, inN];
      if (param === "lokr_w1" || param === "lokr_w2") return per === rows * cols ? { key: param, shape: [rows, cols] } : undefined;
      return withShape(param, param.endsWith("_a") ? split(rows, true) : split(cols, false));
    }
    case "delora_A":
      return withShape(param, split(inOf(m), false));
    case "delora_B":
      return withShape(param, split(outOf(m), true));
    case "boft_R": {
      // boft/layer.py: [butterfly factors, in / block size, block size, block size]
      const i = inOf(m);
      const b = int("boft_block_size") > 0 ? int("boft_block_size") : i && int("boft_block_num") > 0 ? i / int("boft_block_num") : 0;
      const blocks = i && b > 0 ? i / b : 0;
      const f = blocks > 0 ? per / (blocks * b * b) : 0;
      return Number.isInteger(blocks) && Number.isInteger(f) && f > 0 ? { key: param, shape: [f, blocks, b, b] } : undefined;
    }
    case "boft_s":
      return per === outOf(m) ? { key: param, shape: [per, 1] } : undefined;
    case "c3a_kernel": {
      const b = int("block_size");
      const [i, o] = [inOf(m), outOf(m)];
      return b > 0 && i && o && i % b === 0 && o % b === 0 && per === (i / b) * o ? { key: param, shape: [o / b, i / b, b] } : undefined;
    }
    case "hira_A":
      return withShape(param, split(inOf(m), false));
    case "hira_B":
      return withShape(param, split(outOf(m), true));
    case "randlora_lambda":
      // randlora/layer.py: lambda [r, n], gamma [n, min(d_in, d_out)]
      return int("r") > 0 ? withShape(param, split(int("r"), true)) : undefined;
    case "randlora_gamma": {
      const [i, o] = [inOf(m), outOf(m)];
      return i && o ? withShape(param, split(Math.min(i, o), false)) : undefined;
    }
    case "vblora_logits_A":
    case "vblora_logits_B": {
      // vblora/layer.py: logits_A [r, d_in / vector_length, num_vectors], logits_B [d_out / vector_length, r, num_vectors]
      const [r, l, n] = [int("r"), int("vector_length"), int("num_vectors")];
      const d = param.endsWith("A") ? inOf(m) : outOf(m);
      if (!(r > 0 && l > 0 && n > 0 && d && d % l === 0 && per === r * (d / l) * n)) return undefined;
      return { key: param, shape: param.endsWith("A") ? [r, d / l, n] : [d / l, r, n] };
    }
    case "gralora_A":
    case "gralora_B": {
      // gralora/layer.py: the k blocks stacked, A [k, d_in / k, r], B [k, r, d_out / k]
      const k = int("gralora_k") || 2;
      const [i, o] = [inOf(m), outOf(m)];
      if (!(i && o && i % k === 0 && o % k === 0)) return undefined;
      const r = per / (param.endsWith("A") ? i : o);
      return Number.isInteger(r) ? { key: param, shape: param.endsWith("A") ? [k, i / k, r] : [k, r, o / k] } : undefined;
    }
    case "peanut_A":
      // peanut/layer.py: nn.Linear(d_out, r) and nn.Linear(r, d_out)
      return withShape("peanut_A.weight", split(outOf(m), false));
    case "peanut_B":
      return withShape("peanut_B.weight", split(outOf(m), true));
    case "psoft_R.weight":
    case "psoft_R.vector_a":
    case "psoft_R.vector_b":
    case "osf_svd_params.S_low":
      return { key: param, shape: [per] };
    case "osf_svd_params.U_low":
    case "deft_P":
      return withShape(param, split(outOf(m), true));
    case "osf_svd_params.V_low":
    case "deft_R":
      return withShape(param, split(inOf(m), false));
    case "beft_bias":
      return { key: param, shape: [1, per] };
    case "poly_router.module_logits": {
      const t = int("n_tasks") || 1;
      return per % t === 0 ? { key: param, shape: [t, per / t] } : undefined;
    }
    case "poly_lora_A":
    case "poly_lora_B": {
      // poly/layer.py: A [n_splits, n_skills, d_in / n_splits, r], B [n_splits, n_skills, r, d_out / n_splits]
      const [s, k, r] = [int("n_splits") || 1, int("n_skills") || 1, int("r")];
      const d = param.endsWith("A") ? inOf(m) : outOf(m);
      if (!(d && r > 0 && d % s === 0 && per === k * d * r)) return undefined;
      return { key: param, shape: param.endsWith("A") ? [s, k, d / s, r] : [s, k, r, d / s] };
    }
    case "adaption_prompt":
      // adaption_prompt/layer.py: [1, adapter_len, hidden]
      return int("adapter_len") > 0 && per % int("adapter_len") === 0 ? { key: param, shape: [1, int("adapter_len"), per / int("adapter_len")] } : undefined;
    case "adaption_gate":
      return { key: param, shape: [per] };
    case "lora_embedding_A":
      return withShape(param, m?.kind === "embedding" ? split(m.numEmbeddings, false) : undefined);
    case "lora_embedding_B":
      return withShape(param, m?.kind === "embedding" ? split(m.embeddingDim, true) : undefined);
    case "hada_w1_a":
    case "hada_w2_a":
      return withShape(param, split(outOf(m), true));
    case "hada_w1_b":
    case "hada_w2_b":
      return withShape(param, split(inOf(m), false));
    case "ia3_l": {
      const i = inOf(m);
      const o = outOf(m);
      if (i === o) return undefined;
      return per === o ? { key: param, shape: [per, 1] } : per === i ? { key: param, shape: [1, per] } : undefined;
    }
    default:
      return VECTORS.has(param) ? { key: param, shape: [per] } : undefined;
  }
}

