/**
 * What check, budget and sweep share: the one row they work on (a PEFT adapter_config.json or a --method spec,
 * option flags on top, as `count` reads them), the model it runs on, and --dtype for adapter file sizes.
 */
import { formulaForPeftType, FORMULAS } from "../../formulas/index.js";
import type { Formula } from "../../formulas/types.js";
import { ADAPTERHUB_PREFIX, namedConfigNames } from "../../formulas/adapters/registry.js";
import { didYouMean, InputError, UsageError } from "../errors.js";
import { checkAdapterKeys } from "../peft/adapter-keys.js";
import type { ModelRef } from "../report/build.js";
import type { ComparisonReport } from "../report/schema.js";
import type { GatesReport, SizedRow } from "../report/gates-schema.js";
import type { Inventory } from "../model/types.js";
import { embeddingWarning, incompleteWarning } from "../size/adapter-size.js";
import { rowAdapterSize } from "../size/row-size.js";
import { DTYPES, type Dtype } from "../size/safetensors-header.js";
import type { Versions } from "../versions.js";
import { reportFor } from "./emit.js";
import type { Io } from "./io.js";
import { assertExactOptions, loadAdapter, loadInventory, type ModelFlags } from "./load.js";
import { applyFlags, flagName, optionKeys, parseSpec, rejectUnusedFlags, type RawOptions } from "./method-args.js";

export interface RowFlags extends ModelFlags {
  adapter?: string;
  method?: string[];
  dtype?: string;
  /** false with --no-autocast-adapter-dtype */
  autocastAdapterDtype?: boolean;
}

export interface GatesRow {
  readonly formula: Formula;
  readonly options: RawOptions;
  readonly origins: Map<string, string>;
  readonly ref: ModelRef;
  readonly inv: Inventory;
  readonly ctx: Versions;
  /** the adapter file read, if any */
  readonly adapterPath?: string;
  /** PEFT's autocast_adapter_dtype for file sizes (false with --no-autocast-adapter-dtype) */
  readonly autocastAdapterDtype?: boolean;
}

/** --dtype fp32|fp16|bf16 (also float32 / float16 / bfloat16, as torch names them). */
export function parseDtype(text: string | undefined): Dtype | undefined {
  if (text === undefined) return undefined;
  const alias: Record<string, Dtype> = { float32: "fp32", float16: "fp16", bfloat16: "bf16", f32: "fp32", f16: "fp16" };
  const d = (alias[text.toLowerCase()] ?? text.toLowerCase()) as Dtype;
  if (!DTYPES.includes(d)) throw new UsageError("INVALID_FLAG", `--dtype must be one of ${DTYPES.join(", ")} (got "${text}")`, "the base model's load dtype (torch_dtype): PEFT keeps adapter weights in fp32 by default (autocast_adapter_dtype=True; --no-autocast-adapter-dtype for False)");
  return d;
}

/** An unknown method id: the nearest PEFT id or AdapterHub config, and where the full list is. */
export function unknownMethodError(flag: string, id: string): UsageError {
  const names = [...FORMULAS.map((f) => f.id), ...namedConfigNames(), ...namedConfigNames().map((n) => `${ADAPTERHUB_PREFIX}${n}`)];
  return new UsageError("UNKNOWN_METHOD", `${flag}: unknown method "${id}"`, `${didYouMean(id, names)}AdapterHub configs (adapters:<name> or the bare name): ${namedConfigNames().join(", ")}; "peftcount methods" lists the PEFT methods and both libraries' options`);
}

/** The row: --adapter file (peft_type picks the method) or --method spec (default lora), then option flags. */
export function resolveRow(io: Io, flags: RowFlags, optionFlags: Map<string, string | true>, loaded?: { path: string; adapter: Record<string, unknown> }): GatesRow {
  if (flags.adapter !== undefined && flags.method !== undefined) throw new UsageError("CONFLICTING_FLAGS", "--adapter and --method cannot be combined", "one adapter file, or one method spec");
  if ((flags.method?.length ?? 0) > 1) throw new UsageError("CONFLICTING_FLAGS", `one --method only (got ${flags.method!.length})`, 'compare several with "peftcount compare"');
  let formula: Formula;
  let options: RawOptions;
  const origins = new Map<string, string>();
  let adapterTask: unknown;
  let model = flags.model;
  let adapterPath: string | undefined;
  if (flags.adapter !== undefined) {
    const { path, adapter } = loaded ?? loadAdapter(io, flags.adapter);
    adapterPath = path;
    const peftType = adapter["peft_type"];
    if (typeof peftType !== "string") throw new InputError("INVALID_ADAPTER", `${flags.adapter} has no "peft_type"`, 'a PEFT adapter_config.json has "peft_type", e.g. "LORA"');
    const found = formulaForPeftType(peftType);
    if (!found) {
      const known = FORMULAS.flatMap((f) => (f.peftType ? [f.peftType] : []));
      throw new InputError("UNSUPPORTED_METHOD", `peft_type "${peftType}" is not supported`, `${didYouMean(peftType.toUpperCase(), known)}supported peft_type values: ${known.join(", ")}`);
    }
    formula = found;
    assertExactOptions(adapter, optionKeys(formula), path);
    for (const w of checkAdapterKeys(formula.peftType!, adapter, optionKeys(formula), flags.adapter).warnings) io.stderr(`warning: ${w}\n`);
    options = { ...adapter };
    for (const k of Object.keys(options)) origins.set(k, path);
    adapterTask = adapter["task_type"];
    const base = adapter["base_model_name_or_path"];
    if (model === undefined && typeof base === "string" && base !== "") model = base;
    if (model === undefined) throw new UsageError("MODEL_REQUIRED", `--model is required: ${flags.adapter} does not name its base model (base_model_name_or_path)`, 'pass --model <preset | config.json>; "peftcount models" lists the presets');
  } else {
    const spec = flags.method?.[0] ?? "lora";
    try {
      ({ formula, options } = parseSpec(spec));
    } catch (e) {
      const id = spec.trim().split(/\s+/)[0] ?? "";
      if (e instanceof UsageError && e.code === "UNKNOWN_METHOD" && !id.includes("=")) throw unknownMethodError("--method", id);
      throw e;
    }
    for (const k of Object.keys(options)) origins.set(k, "command line");
  }
  const fromFile = adapterPath !== undefined ? { ...options } : undefined;
  const used = applyFlags(formula, options, optionFlags, new Set(adapterPath ? [] : Object.keys(options)));
  for (const k of used) {
    if (fromFile && k in fromFile && JSON.stringify(fromFile[k]) !== JSON.stringify(options[k]))
      io.stderr(`warning: ${flagName(k)} overrides "${k}": ${JSON.stringify(fromFile[k])} from ${flags.adapter} (now ${JSON.stringify(options[k])})\n`);
    origins.set(k, "command line");
  }
  rejectUnusedFlags(optionFlags, used, [formula]);
  const { ref, inv, ctx } = loadInventory(io, { ...flags, ...(model !== undefined ? { model } : {}) }, adapterTask);
  return { formula, options, origins, ref, inv, ctx, ...(adapterPath ? { adapterPath } : {}), ...(flags.autocastAdapterDtype === false ? { autocastAdapterDtype: false } : {}) };
}

/** The usual one-row report (options validated, errors mapped to flags or the file), rows sized for a dtype. */
export async function sizedReport(row: GatesRow, dtype: Dtype | undefined, options: RawOptions = row.options): Promise<GatesReport> {
  const report: ComparisonReport = await reportFor(row.ref, row.inv, [{ formula: row.formula, options, origins: row.origins }], row.ctx);
  return withSizes(report, row, dtype);
}

export function withSizes(report: ComparisonReport, row: GatesRow, dtype: Dtype | undefined): GatesReport {
  if (!dtype) return report;
  return { ...report, rows: report.rows.map((r): SizedRow => ({ ...r, adapterSize: rowAdapterSize(row.inv, row.formula, r, dtype, row.ctx, { autocastAdapterDtype: row.autocastAdapterDtype !== false }) })) };
}

/** Warnings a sized row earns (embedding copies dominating the file). */
export function sizeWarnings(io: Io, rows: readonly SizedRow[]): void {
  const incomplete = rows.find((r) => r.adapterSize && !r.adapterSize.complete);
  if (incomplete) io.stderr(`warning: ${incomplete.method}: ${incompleteWarning(incomplete.adapterSize!)}\n`);
  for (const r of rows) {
    const w = r.adapterSize ? embeddingWarning(r.adapterSize) : undefined;
    if (w) {
      io.stderr(`warning: ${r.method}: ${w}\n`);
      return;
    }
  }
}
