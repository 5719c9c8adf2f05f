/** `peftcount compare`: full fine-tuning first, then the method rows. */
import { FORMULAS, findFormula } from "../../../formulas/index.js";
import type { Formula } from "../../../formulas/types.js";
import type { Inventory } from "../../model/types.js";
import { LORA_DEFAULT_TARGETS, TASK_MODULES_TO_SAVE } from "../../peft/defaults.js";
import { emit, reportFor, type SourcedRow } from "../emit.js";
import type { Io, OutputOptions } from "../io.js";
import { loadInventory, type ModelFlags } from "../load.js";
import { applyFlags, parseOptionFlags, parseSpec, rejectUnusedFlags, type RawOptions } from "../method-args.js";

type Flags = ModelFlags & OutputOptions & { method?: string[] };

/**
 * Default rows: LoRA r=8 on PEFT's default targets (all-linear where PEFT has none), LoRA and DoRA r=16
 * all-linear. On a classification / QA head they say task_type explicitly (it shows in the Options column),
 * as a PEFT user training that head does, so the head trains as in PEFT's task model.
 */
function defaultSpecs(inv: Inventory): string[] {
  const task = TASK_MODULES_TO_SAVE[inv.task] ? ` task_type=${inv.task}` : "";
  const lora8 = LORA_DEFAULT_TARGETS[inv.modelType] ? "lora r=8" : "lora r=8 target_modules=all-linear";
  return [lora8, "lora r=16 target_modules=all-linear", "dora r=16 target_modules=all-linear"].map((s) => s + task);
}

export async function runCompare(opts: Record<string, unknown>, rest: string[], io: Io): Promise<void> {
  const flags = opts as unknown as Flags;
  const optionFlags = parseOptionFlags(rest);
  const { ref, inv, ctx } = loadInventory(io, flags);
  const specs = flags.method?.length ? flags.method : defaultSpecs(inv);
  const full = findFormula("full")!;
  const rows: SourcedRow[] = [{ formula: full, options: {}, origins: new Map() }];
  const used = new Set<string>();
  const methods: Formula[] = [];
  for (const spec of specs) {
    const { formula, options } = parseSpec(spec);
    methods.push(formula);
    if (formula.id === "full") continue;
    // a user's --method key=value wins over a flag; the default rows' own values give way to flags
    const explicit = new Set(flags.method?.length ? Object.keys(options) : []);
    const raw: RawOptions = { ...options };
    for (const k of applyFlags(formula, raw, optionFlags, explicit)) used.add(k);
    rows.push({ formula, options: raw, origins: new Map(Object.keys(raw).map((k) => [k, "command line"])) });
  }
  rejectUnusedFlags(optionFlags, used, methods.length ? methods : [...FORMULAS]);
  emit(io, await reportFor(ref, inv, rows, ctx), flags);
}
