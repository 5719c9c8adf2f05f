/**
 * GaLore (Zhao et al. 2024) as transformers' Trainer sets it up (trainer_optimizer.py: `optim="galore_adamw"`,
 * `optim_target_modules`, optim_args rank=128 by default) with galore_torch's GaLoreAdamW:
 * - targets: the `weight` of every nn.Linear whose name matches optim_target_modules (trainer_utils.py
 *   `check_target_module_exists`: a string is a full regex match, "all-linear" every Linear; a list matches a name
 *   equal to an entry, containing one, or fully matching one as a regex); a tied weight is not among
 *   named_parameters, so it is not a target;
 * - a target W [m, n] keeps the projector's orthogonal matrix (galore_projector.py, proj_type "std": m >= n →
 *   Vh[:r] [r, n], else U[:, :r] [m, r], cast back to W's dtype) and Adam's two states in the projected shape
 *   ([m, r] or [r, n]), r = min(rank, m, n); every other parameter keeps Adam's two states (zeros_like(p)); `step`
 *   is a Python int.
 */
import { InputError } from "../errors.js";
import { groupNumel, type TensorGroup } from "./tensors.js";
import { DTYPE_BYTES } from "./types.js";

/** transformers' check_target_module_exists (without the regex flag). */
export function galoreTarget(targets: string | readonly string[], name: string): boolean {
  const full = (re: string) => {
    try {
      return new RegExp(`^(?:${re})$`).test(name);
    } catch {
      return false;
    }
  };
  if (typeof targets === "string") return targets.replace(/_/g, "-") === "all-linear" || full(targets);
  return targets.includes(name) || targets.some((t) => name.includes(t)) || targets.some(full);
}

export function galoreBytes(groups: readonly TensorGroup[], galore: { readonly targets: string | readonly string[]; readonly rank: number }): bigint {
  let bytes = 0n;
  let targets = 0;
  for (const g of groups) {
    if (!g.trainable) continue;
    const per = DTYPE_BYTES[g.dtype];
    const shape = g.shape;
    if (g.linearWeightOf !== undefined && shape?.length === 2 && galoreTarget(galore.targets, g.linearWeightOf)) {
      targets++;
      const [m, n] = shape.map(BigInt) as [bigint, bigint];
      const r = [BigInt(galore.rank), m, n].reduce((a, b) => (a < b ? a : b));
      const ortho = m >= n ? r * n : m * r;
      const states = 2n * (m >= n ? m * r : r * n);
      bytes += g.tensors * (ortho + states) * per;
    } else bytes += 2n * groupNumel(g) * per;
  }
  if (targets === 0) throw new InputError("GALORE_NO_TARGETS", `No target modules found for galore_adamw (${JSON.stringify(galore.targets)})`, "set --galore-targets to Linear module names or a regex, or all-linear");
  return bytes;
}
