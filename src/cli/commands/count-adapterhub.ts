/**
 * `peftcount count` for AdapterHub: a saved AdapterHub adapter_config.json, or an AdapterHub spec / config
 * string. The releases: --adapters-version, else the file's "version", else --transformers-version, else the
 * newest AdapterHub (1.2.0) on the transformers it supports (4.57.6: AdapterHub does not run on transformers 5).
 */
import { chooseAdapterHubContext } from "../../adapters/versions.js";
import { InputError, UsageError } from "../../errors.js";
import { formatVersion } from "../../versions.js";
import { emit, reportFor } from "../emit.js";
import type { Io, OutputOptions } from "../io.js";
import { loadInventory, type ModelFlags } from "../load.js";
import { parseOptionFlags } from "../method-args.js";
import { adapterHubRow, parseAdapterHubSpec, UNFREEZE_LAYER_NORMS, type AdapterHubRequest } from "./adapterhub.js";

type Flags = ModelFlags & OutputOptions;

export type AdapterHubSource = { readonly spec: string } | { readonly file: string; readonly adapter: Record<string, unknown> };

/** `--adapters-version` arrives among the unknown tokens (it is not a PEFT option): take it out. */
export function takeAdaptersVersion(flags: Map<string, string | true>): string | undefined {
  const v = flags.get("adapters_version");
  flags.delete("adapters_version");
  if (v === true) throw new UsageError("INVALID_FLAG", "--adapters-version needs a value", "e.g. --adapters-version 1.0.0");
  return v;
}

export async function runAdapterHubCount(flags: Flags, rest: string[], io: Io, source: AdapterHubSource): Promise<void> {
  const optionFlags = parseOptionFlags(rest);
  const adaptersVersion = takeAdaptersVersion(optionFlags);
  const used = new Set<string>();
  let req: AdapterHubRequest;
  if ("spec" in source) req = parseAdapterHubSpec(source.spec, optionFlags, used);
  else {
    const name = typeof source.adapter["name"] === "string" ? source.adapter["name"] : source.file;
    const u = optionFlags.get(UNFREEZE_LAYER_NORMS);
    if (u !== undefined) used.add(UNFREEZE_LAYER_NORMS);
    req = { method: `adapters:${name}`, title: `AdapterHub adapter ${name}`, input: source.adapter, unfreezeLayerNorms: u === true || u === "true" };
  }
  for (const key of optionFlags.keys())
    if (!used.has(key))
      throw new UsageError("UNKNOWN_OPTION", `unknown option --${key.replace(/_/g, "-")} for the AdapterHub config`, `set AdapterHub options in the spec: --method "adapters:seq_bn reduction_factor=8", or in the adapter file`);
  let ctx;
  try {
    ctx = chooseAdapterHubContext({ adapters: adaptersVersion, transformers: flags.transformersVersion, file: "file" in source ? source.adapter : undefined });
  } catch (e) {
    if (e instanceof InputError && e.code === "INVALID_VERSION") throw new UsageError(e.code, e.message, e.hint);
    throw e;
  }
  if ("file" in source && flags.model === undefined)
    throw new UsageError("MODEL_REQUIRED", `--model is required: an AdapterHub adapter file does not name its base model (${source.file})`, 'pass --model <preset | config.json>; "peftcount models" lists the presets');
  const { ref, inv, ctx: versions } = loadInventory(io, { ...flags, transformersVersion: formatVersion(ctx.transformers) });
  const row = adapterHubRow(inv, req, ctx);
  const report = await reportFor(ref, inv, [], versions);
  emit(
    io,
    {
      ...report,
      versions: { ...report.versions!, adapters: formatVersion(ctx.adapters) } as typeof report.versions,
      model: { ...report.model, notes: [...report.model.notes, `AdapterHub's convention (train_adapter): adapters ${formatVersion(ctx.adapters)} on transformers ${formatVersion(ctx.transformers)}, chosen by ${ctx.why}`] },
      rows: [row],
    },
    flags,
  );
}
