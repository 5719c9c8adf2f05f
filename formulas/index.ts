/** Every method, an explicit list: the CLI ids, the README table and `methods` come from here. */
import { dora } from "./dora.js";
import { full } from "./full.js";
import { lora } from "./lora.js";

export const FORMULAS = [full, lora, dora] as const;
export type MethodId = (typeof FORMULAS)[number]["id"];

export function findFormula(id: string): (typeof FORMULAS)[number] | undefined {
  return FORMULAS.find((f) => f.id === id);
}

/** The formula that reads an adapter_config.json of this `peft_type`. */
export function formulaForPeftType(peftType: string): (typeof FORMULAS)[number] | undefined {
  return FORMULAS.find((f) => f.peftType === peftType);
}

export { evaluate, OptionsError, type Formula, type ParamBreakdown, type Part } from "./types.js";
