/**
 * `peftcount count` for AdapterHub: a saved AdapterHub adapter_config.json, or an AdapterHub spec / config
 * string. The releases: --adapters-version, else the file's "version", else --transformers-version, else the
 * newest AdapterHub (1.2.0) on the transformers it supports (4.57.6: AdapterHub does not run on transformers 5).
 */
import type { ComparisonReport, Row } from "../../report/schema.js";
import type { AdapterHubContext } from "../../adapters/types.js";
import type { ModelRef } from "../../report/build.js";
import type { Inventory } from "../../model/types.js";
import { chooseAdapterHubContext } from "../../adapters/versions.js";
import { InputError, UsageError } from "../../errors.js";
import { formatVersion, type Versions } from "../../versions.js";
import { emit, reportFor } from "../emit.js";
import type { Io, OutputOptions } from "../io.js";
import { loadInventory, parseNumLabels, type ModelFlags } from "../load.js";
import { coerce, parseOptionFlags } from "../method-args.js";
import { methodForArchitecture } from "../../../formulas/adapters/registry.js";
import type { Formula } from "../../../formulas/types.js";
import { adapterHubRow, adapterSummaryNote, HEAD_KEYS, parseAdapterHubSpec, UNFREEZE_LAYER_NORMS, withHead, type AdapterHubRequest } from "./adapterhub.js";

type Flags = ModelFlags & OutputOptions;

export type AdapterHubSource = { readonly spec: string } | { readonly file: string; readonly adapter: Record<string, unknown> };

/** `--adapters-version` arrives among the unknown tokens (it is not a PEFT option): take it out. */
export function takeAdaptersVersion(flags: Map<string, string | true>): string | undefined {
  const v = flags.get("adapters_version");
  flags.delete("adapters_version");
  if (v === true) throw new UsageError("INVALID_FLAG", "--adapters-version needs a value", "e.g. --adapters-version 1.0.0");
  return v;
}

/** An option flag's value for an AdapterHub config key: a number as written (AdapterHub's floats stay floats), else the schema's coercion. */
export function flagValue(method: Formula, key: string, text: string | true): unknown {
  return typeof text === "string" && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text) ? Number(text) : coerce(method, key, text, `--${key.replace(/_/g, "-")}`);
}

/**
 * The AdapterHub release pair for the flags (a malformed --adapters-version is a usage error) and the model
 * loaded on that pair's transformers; a saved file names no base model, so it needs --model.
 */
export function adapterHubModel(io: Io, flags: ModelFlags, adaptersVersion: string | undefined, source: AdapterHubSource, task?: string) {
  let ctx;
  try {
    ctx = chooseAdapterHubContext({ adapters: adaptersVersion, transformers: flags.transformersVersion, file: "file" in source ? source.adapter : undefined });
  } catch (e) {
    if (e instanceof InputError && e.code === "INVALID_VERSION") throw new UsageError(e.code, e.message, e.hint);
    throw e;
  }
  if ("file" in source && flags.model === undefined)
    throw new UsageError("MODEL_REQUIRED", `--model is required: an AdapterHub adapter file does not name its base model (${source.file})`, 'pass --model <preset | config.json>; "peftcount models" lists the presets');
  const { ref, inv, ctx: versions } = loadInventory(io, { ...flags, ...(task !== undefined ? { task } : {}), transformersVersion: formatVersion(ctx.transformers) });
  return { ctx, ref, inv, versions };
}

/** Option flags override keys of a saved single (non-union) config, as they do for PEFT files. */
function withFlags(adapter: Record<string, unknown>, flags: ReadonlyMap<string, string | true>, used: Set<string>, io: Io, file: string): unknown {
  const inner = "config" in adapter ? adapter["config"] : adapter;
  if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return adapter;
  const config = inner as Record<string, unknown>;
  const arch = config["architecture"] === undefined || config["architecture"] === "bottleneck" ? null : config["architecture"];
  if (arch === "union" || (arch !== null && typeof arch !== "string")) return adapter;
  const method = methodForArchitecture(arch);
  if (!method) return adapter;
  const keys = Object.keys((method.schema as unknown as { shape: object }).shape);
  const out = { ...config };
  for (const [key, text] of flags) {
    if (!keys.includes(key)) continue;
    const value = flagValue({ id: method.id, schema: method.schema } as unknown as Formula, key, text);
    if (key in config && JSON.stringify(config[key]) !== JSON.stringify(value)) io.stderr(`warning: --${key.replace(/_/g, "-")} overrides "${key}": ${JSON.stringify(config[key])} from ${file} (now ${JSON.stringify(value)})\n`);
    out[key] = value;
    used.add(key);
  }
  return "config" in adapter ? { ...adapter, config: out } : out;
}

export async function runAdapterHubCount(flags: Flags, rest: string[], io: Io, source: AdapterHubSource): Promise<void> {
  emit(io, await adapterHubReport(flags, rest, io, source), flags);
}

/** The one-row report of an AdapterHub file or spec (count's, and check's). */
export async function adapterHubReport(flags: Flags, rest: string[], io: Io, source: AdapterHubSource): Promise<ComparisonReport> {
  const optionFlags = parseOptionFlags(rest);
  const adaptersVersion = (flags as { adaptersVersion?: string }).adaptersVersion ?? takeAdaptersVersion(optionFlags);
  const used = new Set<string>();
  let req: AdapterHubRequest;
  if ("spec" in source) req = parseAdapterHubSpec(source.spec, optionFlags, used);
  else {
    const name = typeof source.adapter["name"] === "string" ? source.adapter["name"] : source.file;
    const u = optionFlags.get(UNFREEZE_LAYER_NORMS);
    if (u !== undefined) used.add(UNFREEZE_LAYER_NORMS);
    const heads = new Map<string, string | true>();
    for (const key of HEAD_KEYS) if (optionFlags.has(key)) (heads.set(key, optionFlags.get(key)!), used.add(key));
    req = withHead({ method: `adapters:${name}`, title: `AdapterHub adapter ${name}`, input: withFlags(source.adapter, optionFlags, used, io, source.file), unfreezeLayerNorms: u === true || u === "true" }, heads);
  }
  // a flexible head sits on AdapterHub's AdapterModel, the bare model; --num-labels sizes it
  let task = flags.task;
  if (req.head) {
    if (task !== undefined && task !== "FEATURE_EXTRACTION")
      throw new UsageError("INVALID_FLAG", `a flexible ${req.head.type} head sits on AdapterHub's AdapterModel (the bare model), not on a --task ${task} model`, "leave --task out (or pass FEATURE_EXTRACTION)");
    task = "FEATURE_EXTRACTION";
    if (req.head.numLabels === undefined && flags.numLabels !== undefined) req = { ...req, head: { ...req.head, numLabels: parseNumLabels(flags.numLabels) } };
  }
  for (const key of optionFlags.keys())
    if (!used.has(key))
      throw new UsageError("UNKNOWN_OPTION", `unknown option --${key.replace(/_/g, "-")} for the AdapterHub config`, `set AdapterHub options in the spec: --method "adapters:seq_bn reduction_factor=8", or in the adapter file`);
  const { ctx, ref, inv, versions } = adapterHubModel(io, flags, adaptersVersion, source, task);
  const row = adapterHubRow(inv, req, ctx);
  return adapterHubReportOf({ ref, inv, versions, ctx }, [row], [adapterSummaryNote(row)]);
}

/** The usual report around AdapterHub rows, noting the releases they follow (and any further notes). */
export async function adapterHubReportOf(
  s: { readonly ref: ModelRef; readonly inv: Inventory; readonly versions: Versions; readonly ctx: AdapterHubContext & { readonly why: string } },
  rows: readonly Row[],
  notes: readonly string[] = [],
): Promise<ComparisonReport> {
  const report = await reportFor(s.ref, s.inv, [], s.versions);
  const convention = `AdapterHub's convention (train_adapter): adapters ${formatVersion(s.ctx.adapters)} on transformers ${formatVersion(s.ctx.transformers)}, chosen by ${s.ctx.why}`;
  return {
    ...report,
    versions: { ...report.versions!, adapters: formatVersion(s.ctx.adapters) } as typeof report.versions,
    model: { ...report.model, notes: [...report.model.notes, convention, ...notes] },
    rows: [...rows],
  };
}
