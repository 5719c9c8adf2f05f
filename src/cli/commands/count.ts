/**
 * `peftcount count`: one adapter on one model. With --adapter, a PEFT adapter_config.json as written by
 * `save_pretrained` (peft_type picks the method, task_type the head; unknown keys are ignored); option
 * flags override its values. Without, a --method spec (default: lora).
 */
import { findFormula, formulaForPeftType, FORMULAS } from "../../../formulas/index.js";
import { didYouMean, InputError, UsageError } from "../../errors.js";
import { checkAdapterKeys } from "../../peft/adapter-keys.js";
import { emit, reportFor } from "../emit.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";
import { parseDtype, sizeWarnings } from "../gates-row.js";
import type { SizedRow } from "../../report/gates-schema.js";
import { sizeLine } from "../../render/check.js";
import { rowAdapterSize } from "../../size/row-size.js";
import { assertExactOptions, loadAdapter, loadInventory, type ModelFlags } from "../load.js";
import { applyFlags, flagName, optionKeys, parseOptionFlags, parseSpec, rejectUnusedFlags, type RawOptions } from "../method-args.js";
import { isAdapterHubSpec, looksLikeAdapterHubFile } from "./adapterhub.js";
import { runAdapterHubCount } from "./count-adapterhub.js";

type Flags = ModelFlags & OutputOptions & { dtype?: string; autocastAdapterDtype?: boolean; adapter?: string; method?: string[] };

export async function runCount(opts: Record<string, unknown>, rest: string[], io: Io): Promise<void> {
  const flags = opts as unknown as Flags;
  if (flags.adapter !== undefined && flags.method !== undefined)
    throw new UsageError("CONFLICTING_FLAGS", "--adapter and --method cannot be combined", "count one adapter file, or one method spec");
  if ((flags.method?.length ?? 0) > 1)
    throw new UsageError("CONFLICTING_FLAGS", `count takes one --method (got ${flags.method!.length})`, `compare several side by side: peftcount compare ${flags.method!.map((m) => `--method "${m}"`).join(" ")}`);
  const optionFlags = parseOptionFlags(rest);
  let formula;
  let options: RawOptions;
  const origins = new Map<string, string>();
  let adapterTask: unknown;
  let model = flags.model;
  if (flags.adapter !== undefined) {
    const { path, adapter } = loadAdapter(io, flags.adapter);
    if (looksLikeAdapterHubFile(adapter)) return runAdapterHubCount(flags, rest, io, { file: path, adapter });
    const peftType = adapter["peft_type"];
    if (typeof peftType !== "string") {
      const hint = 'a PEFT adapter_config.json has "peft_type", e.g. "LORA"; an AdapterHub one has "config"';
      throw new InputError("INVALID_ADAPTER", `${flags.adapter} has no "peft_type"`, hint);
    }
    formula = formulaForPeftType(peftType);
    if (!formula) {
      const known = FORMULAS.flatMap((f) => (f.peftType ? [f.peftType] : []));
      throw new InputError("UNSUPPORTED_METHOD", `peft_type "${peftType}" is not supported`, `${didYouMean(peftType.toUpperCase(), known)}supported peft_type values: ${known.join(", ")}`);
    }
    assertExactOptions(adapter, optionKeys(formula), path);
    for (const w of checkAdapterKeys(formula.peftType!, adapter, optionKeys(formula), flags.adapter).warnings) io.stderr(`warning: ${w}\n`);
    options = { ...adapter };
    for (const k of Object.keys(options)) origins.set(k, path);
    adapterTask = adapter["task_type"];
    model ??= baseModelOf(adapter, flags.adapter);
  } else {
    const spec = flags.method?.[0];
    if (spec !== undefined && isAdapterHubSpec(spec, (id) => findFormula(id) !== undefined)) return runAdapterHubCount(flags, rest, io, { spec });
    ({ formula, options } = parseSpec(flags.method?.[0] ?? "lora"));
    for (const k of Object.keys(options)) origins.set(k, "command line");
  }
  if ((flags as { adaptersVersion?: string }).adaptersVersion !== undefined)
    throw new UsageError("FLAG_NOT_APPLICABLE", "--adapters-version applies to AdapterHub adapters and config strings, not to a PEFT method", "drop --adapters-version (PEFT releases: --peft-version)");
  const fromFile = flags.adapter !== undefined ? { ...options } : undefined;
  const used = applyFlags(formula, options, optionFlags, new Set(flags.adapter ? [] : Object.keys(options)));
  for (const k of used) {
    if (fromFile && k in fromFile && JSON.stringify(fromFile[k]) !== JSON.stringify(options[k]))
      io.stderr(`warning: ${flagName(k)} overrides "${k}": ${JSON.stringify(fromFile[k])} from ${flags.adapter} (now ${JSON.stringify(options[k])})\n`);
    origins.set(k, "command line");
  }
  rejectUnusedFlags(optionFlags, used, [formula]);
  const { ref, inv, ctx } = loadInventory(io, { ...flags, ...(model !== undefined ? { model } : {}) }, adapterTask);
  const report = await reportFor(ref, inv, [{ formula, options, origins }], ctx);
  // a trained adapter's saved tensors against the config's count (issue 9, src/cli/sources/saved-adapter.ts)
  if (flags.adapter !== undefined && report.rows[0]) (await import("../sources/saved-adapter.js")).checkSavedAdapter(io, flags.adapter, report.rows[0].trainableParams, inv);
  // --dtype: each row with the size of its adapter_model.safetensors (issue 8, src/size/)
  const dtype = parseDtype(flags.dtype);
  if (!dtype) return emit(io, report, flags);
  const rows = report.rows.map((r): SizedRow => ({ ...r, adapterSize: rowAdapterSize(inv, formula, r, dtype, ctx, { autocastAdapterDtype: flags.autocastAdapterDtype !== false }) }));
  sizeWarnings(io, rows);
  emit(io, { ...report, rows }, flags);
  if (formatOf(flags) === "table" && rows[0]) io.stdout(`${sizeLine(rows[0])}\n`);
}

/**
 * Without --model, the adapter's own `base_model_name_or_path` (an HF repo id that is a preset alias, or a
 * local model folder) names the model; never a silent default, since counts depend on the model.
 */
function baseModelOf(adapter: Record<string, unknown>, file: string): string {
  const base = adapter["base_model_name_or_path"];
  if (typeof base === "string" && base !== "") return base;
  throw new UsageError("MODEL_REQUIRED", `--model is required: ${file} does not name its base model (base_model_name_or_path)`, 'pass --model <preset | config.json>; "peftcount models" lists the presets');
}
