/**
 * compare's default rows (the panel) and `--methods all`: each method with PEFT's defaults, as a user would
 * start. Where PEFT has no default targets for the model_type, target_modules=all-linear (shown in the Options
 * column); on a classification / QA head, task_type is set so the head trains as in PEFT's task model.
 * Methods that cannot apply to the model (LLaMA-Adapter on BERT, ...) are skipped with the reason.
 */
import { FORMULAS } from "../../../formulas/index.js";
import type { Formula } from "../../../formulas/types.js";
import type { Inventory } from "../../model/types.js";
import { LORA_DEFAULT_TARGETS, TASK_MODULES_TO_SAVE } from "../../peft/defaults.js";
import { optionKeys } from "../method-args.js";

/** The default panel, in display order (grouped by family). */
export const DEFAULT_PANEL = ["lora", "dora", "adalora", "loha", "lokr", "vera", "oft", "ia3", "bitfit", "prompt-tuning", "prefix-tuning", "p-tuning", "adaption-prompt"] as const;

/** Options a method needs on top of its schema defaults to be a sensible first row (PEFT has no default for them). */
function required(f: Formula, inv: Inventory): Record<string, unknown> {
  const keys = optionKeys(f);
  const o: Record<string, unknown> = {};
  if (keys.includes("num_virtual_tokens")) o["num_virtual_tokens"] = 20;
  if (keys.includes("adapter_len")) o["adapter_len"] = 10;
  if (keys.includes("adapter_layers")) o["adapter_layers"] = Math.min(30, inv.dims.numHiddenLayers);
  if (keys.includes("total_step")) o["total_step"] = 1000;
  if (keys.includes("target_modules") && LORA_DEFAULT_TARGETS[inv.modelType] === undefined && f.peftType !== "LN_TUNING" && f.peftType !== "IA3")
    o["target_modules"] = "all-linear";
  if (keys.includes("task_type") && TASK_MODULES_TO_SAVE[inv.task]) o["task_type"] = inv.task;
  return o;
}

export interface PanelRow {
  readonly formula: Formula;
  readonly options: Record<string, unknown>;
}

/** `ids`: "default" for the panel, "all" for every method, or a list of method ids. */
export function panel(inv: Inventory, ids: "default" | "all" | readonly string[]): PanelRow[] {
  const wanted = ids === "all" ? FORMULAS.map((f) => f.id).filter((id) => id !== "full") : ids === "default" ? DEFAULT_PANEL : ids;
  const out: PanelRow[] = [];
  for (const id of wanted) {
    const f = FORMULAS.find((x) => x.id === id) as Formula | undefined;
    if (f) out.push({ formula: f, options: required(f, inv) });
  }
  return out;
}
