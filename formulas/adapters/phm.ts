/**
 * Compacter's parameterized hypercomplex multiplication layers (adapters src/adapters/methods/modeling.py
 * PHMLayer, init_shared_parameters). A PHM layer in → out with n = phm_dim holds, per position ("fast"
 * weights): W as W_left (n × in/n × phm_rank) + W_right (n × phm_rank × out/n) when factorized_phm_W
 * (else n × in/n × out/n), unless shared_W_phm; its own phm_rule n × n × n (factorized_phm_rule: n × n × 1 +
 * n × 1 × n) unless shared_phm_rule; a bias b (out) with phm_bias. Shared ("slow") weights live once per
 * adapter in `base_model.shared_parameters`: the phm_rule (n³, or 2n² factorized) and, with shared_W_phm, the
 * down and up W factors sized from hidden // reduction_factor. `learn_phm` sets requires_grad at creation,
 * but `train_adapter()` unfreezes every adapter and shared parameter, so it never changes the count.
 */
import { InputError } from "../../src/errors.js";

export interface PhmOptions {
  readonly phm_dim: number;
  readonly phm_rank: number;
  readonly factorized_phm_W: boolean | null;
  readonly shared_W_phm: boolean | null;
  readonly shared_phm_rule: boolean | null;
  readonly factorized_phm_rule: boolean | null;
  readonly phm_bias: boolean | null;
}

/** AdapterHub asserts both widths divide by phm_dim; the message names the module. */
function checkDivisible(module: string, what: string, n: number, dim: number): void {
  if (n % dim !== 0)
    throw new InputError(
      "UNSUPPORTED_OPTIONS",
      `Compacter: ${module} has ${what} = ${n}, not divisible by phm_dim ${dim} (AdapterHub's PHMLayer asserts "${what} is not divisible by phm_dim")`,
      `choose a phm_dim that divides ${n} (and the bottleneck width), or a reduction_factor whose bottleneck divides by ${dim}`,
    );
}

/** Parameters of one PHM layer at one position. */
export function phmLayerParams(o: PhmOptions, module: string, inF: number, outF: number): number {
  const n = o.phm_dim;
  checkDivisible(module, "in_features", inF, n);
  checkDivisible(module, "out_features", outF, n);
  let p = 0;
  if (!o.shared_phm_rule) p += o.factorized_phm_rule ? 2 * n * n : n * n * n;
  if (!o.shared_W_phm) p += o.factorized_phm_W ? n * (inF / n) * o.phm_rank + n * o.phm_rank * (outF / n) : n * (inF / n) * (outF / n);
  if (o.phm_bias) p += outF;
  return p;
}

/** Parameters shared by all PHM layers of the adapter (`shared_parameters[name]`), counted once. */
export function phmSharedParams(o: PhmOptions, hidden: number, reductionFactor: unknown): number {
  const n = o.phm_dim;
  let p = 0;
  if (o.shared_W_phm) {
    if (!o.factorized_phm_W)
      throw new InputError("UNSUPPORTED_OPTIONS", "Compacter: shared_W_phm with factorized_phm_W=False fails in AdapterHub (init_shared_parameters reads an undefined _in_feats_per_axis)", "set factorized_phm_W=True, or shared_W_phm=False");
    if (typeof reductionFactor !== "number")
      throw new InputError("UNSUPPORTED_OPTIONS", "Compacter: shared_W_phm sizes the shared weights by one reduction_factor (hidden // reduction_factor), not a per-layer mapping", "give a single reduction_factor with shared_W_phm");
    const out = Math.floor(hidden / reductionFactor);
    const inAxis = Math.floor(hidden / n);
    const outAxis = Math.floor(out / n);
    p += 2 * (n * inAxis * o.phm_rank + n * o.phm_rank * outAxis);
  }
  if (o.shared_phm_rule) p += o.factorized_phm_rule ? 2 * n * n : n * n * n;
  return p;
}
