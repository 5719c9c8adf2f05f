/**
 * PEFT's refusal of LoRA-like adapters on the Mamba mixers' `out_proj` and `conv1d` (peft
 * src/peft/tuners/tuners_utils.py `_check_lora_target_modules_mamba`, called by `BaseTuner.inject_adapter` for
 * every module it wraps and every module whose parameter it wraps; since peft 0.16.0, #2562): for model types
 * falcon_h1, mamba, mamba2, falcon_mamba and nemotron_h, a LORA / ADALORA / XLORA / RANDLORA adapter whose
 * targets include a module named `out_proj` or `conv1d` is a ValueError — `all-linear` included, since it
 * resolves to every Linear, `out_proj` among them. Hybrids whose config names another model type (jamba,
 * granitemoehybrid) are not checked.
 */
import { InputError } from "../errors.js";
import { atLeast, type Versions } from "../versions.js";

const LORA_LIKE = new Set(["LORA", "ADALORA", "XLORA", "RANDLORA"]);
const INCOMPATIBLE = new Set(["out_proj", "conv1d"]);
const MAMBA_TYPES = new Set(["falcon_h1", "mamba", "mamba2", "falcon_mamba", "nemotron_h"]);

/** Whether PEFT checks this model type's targets at all (callers skip building the name list otherwise). */
export function isMambaModelType(modelType: string): boolean {
  return MAMBA_TYPES.has(modelType);
}

/** Throws PEFT's error when one of `targets` (full module names) ends in an incompatible Mamba module name. */
export function refuseMambaTargets(method: string, peftType: string, modelType: string, targets: readonly string[], ctx: Versions): void {
  if (!atLeast(ctx.peft, "0.16.0") || !LORA_LIKE.has(peftType) || !MAMBA_TYPES.has(modelType)) return;
  const hit = targets.find((t) => INCOMPATIBLE.has(t.slice(t.lastIndexOf(".") + 1)));
  if (hit === undefined) return;
  const leaf = hit.slice(hit.lastIndexOf(".") + 1);
  throw new InputError(
    "UNSUPPORTED_TARGET",
    `${method}: PEFT refuses to adapt "${hit}": module '${leaf}' is incompatible with Mamba-based models (model_type '${modelType}'; incompatible: out_proj, conv1d)`,
    "remove out_proj and conv1d from target_modules (all-linear includes out_proj: list the other projections instead, e.g. in_proj)",
  );
}
