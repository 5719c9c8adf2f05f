/**
 * Every method, an explicit list: the CLI ids, the README table and `methods` come from here.
 * Methods are grouped by family, one registry file per family (formulas/peft/registry-*.ts), so adding a
 * method touches its own file and its family's list.
 */
import { full } from "./full.js";
import { CLASSIC_FORMULAS } from "./classic/registry.js";
import { LITERATURE_FORMULAS } from "./literature/registry.js";
import { LORA_FAMILY } from "./peft/registry-lora.js";
import { ORTHOGONAL_FAMILY } from "./peft/registry-orthogonal.js";
import { SHARED_TENSOR_FAMILY } from "./peft/registry-shared.js";
import { SPECTRAL_FAMILY } from "./peft/registry-spectral.js";
import { SCALING_FAMILY } from "./peft/registry-scaling.js";
import { PROMPT_FAMILY } from "./peft/registry-prompt.js";

export const FORMULAS = [
  full,
  ...LORA_FAMILY,
  ...ORTHOGONAL_FAMILY,
  ...SHARED_TENSOR_FAMILY,
  ...SPECTRAL_FAMILY,
  ...SCALING_FAMILY,
  ...PROMPT_FAMILY,
  ...CLASSIC_FORMULAS,
  ...LITERATURE_FORMULAS,
] as const;
export type MethodId = (typeof FORMULAS)[number]["id"];

const idsOf = (xs: readonly { readonly id: string }[]) => xs.map((f) => f.id);

/** Method families, for grouping in listings and tables (the registry files). */
export const METHOD_FAMILIES: readonly { readonly family: string; readonly ids: readonly string[] }[] = [
  { family: "full fine-tuning", ids: [full.id] },
  { family: "LoRA and relatives", ids: idsOf(LORA_FAMILY) },
  { family: "orthogonal / rotation", ids: idsOf(ORTHOGONAL_FAMILY) },
  { family: "shared tensors", ids: idsOf(SHARED_TENSOR_FAMILY) },
  { family: "spectral / sparse / other", ids: idsOf(SPECTRAL_FAMILY) },
  { family: "scaling / norms / tokens", ids: idsOf(SCALING_FAMILY) },
  { family: "prompt learning", ids: idsOf(PROMPT_FAMILY) },
  { family: "classic baselines", ids: idsOf(CLASSIC_FORMULAS) },
  { family: "from the literature", ids: idsOf(LITERATURE_FORMULAS) },
];

export function familyOfMethod(id: string): string {
  return METHOD_FAMILIES.find((f) => f.ids.includes(id))?.family ?? "other";
}

export function findFormula(id: string): (typeof FORMULAS)[number] | undefined {
  return FORMULAS.find((f) => f.id === id);
}

/** The formula that reads an adapter_config.json of this `peft_type` (case-insensitive, as PEFT's enum). */
export function formulaForPeftType(peftType: string): (typeof FORMULAS)[number] | undefined {
  const wanted = peftType.toUpperCase();
  return FORMULAS.find((f) => f.peftType === wanted);
}

export { evaluate, OptionsError, DEFAULT_CONTEXT, type EvalContext, type Formula, type ParamBreakdown, type Part } from "./types.js";
export { planMethod, sweep, type PointCount } from "./sweep.js";
