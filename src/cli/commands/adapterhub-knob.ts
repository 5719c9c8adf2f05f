/**
 * AdapterHub rows for `budget` and `sweep`: one AdapterHub config (a saved adapter_config.json, an
 * `adapters:` spec or a config string) whose integer knob varies — `reduction_factor`, `phm_dim`, `r`,
 * `prefix_length`, `bottleneck_size`, `prompt_length`. The config is resolved once (src/adapters/resolve.ts);
 * each value is counted by AdapterHub's own count (adapterHubRow), the knob set on the resolved config, so a
 * value written in the spec or the file is replaced, not merged. A union (`mam`, `a|b`) has one knob per
 * component: refused, with the component to give alone.
 */
import { findFormula } from "../../../formulas/index.js";
import { methodForArchitecture } from "../../../formulas/adapters/registry.js";
import type { Formula } from "../../../formulas/types.js";
import { resolveAdapterHub } from "../../adapters/resolve.js";
import type { AdapterHubContext, ResolvedAdapterHubConfig } from "../../adapters/types.js";
import { adapterHubKnobsOf, type SizeKnob } from "../../budget/knobs.js";
import { UsageError } from "../../errors.js";
import type { ModelRef } from "../../report/build.js";
import type { Row } from "../../report/schema.js";
import type { Inventory } from "../../model/types.js";
import type { Versions } from "../../versions.js";
import type { Io } from "../io.js";
import type { ModelFlags } from "../load.js";
import { adapterHubRow, isAdapterHubSpec, looksLikeAdapterHubFile, parseAdapterHubSpec, UNFREEZE_LAYER_NORMS, type AdapterHubRequest } from "./adapterhub.js";
import { adapterHubModel, adapterHubReportOf, flagValue, takeAdaptersVersion, type AdapterHubSource } from "./count-adapterhub.js";

export type AdapterHubInput = AdapterHubSource;
export { adapterHubReportOf };

export interface AdapterHubSubject {
  readonly req: AdapterHubRequest;
  readonly config: ResolvedAdapterHubConfig;
  readonly ctx: AdapterHubContext & { readonly why: string };
  readonly ref: ModelRef;
  readonly inv: Inventory;
  readonly versions: Versions;
  /** the row as given (its display options, its warnings) */
  readonly base: Row;
}

/** An AdapterHub file (read once, by the caller) or spec among check / budget / sweep flags, or undefined (PEFT's). */
export function adapterHubInput(flags: { adapter?: string; method?: string[] }, file: { path: string; adapter: Record<string, unknown> } | undefined): AdapterHubInput | undefined {
  if (file) return looksLikeAdapterHubFile(file.adapter) ? { file: file.path, adapter: file.adapter } : undefined;
  const spec = flags.method?.length === 1 && flags.adapter === undefined ? flags.method[0]! : undefined;
  return spec !== undefined && isAdapterHubSpec(spec, (id) => findFormula(id) !== undefined) ? { spec } : undefined;
}

const asFormula = (id: string, architecture: string | null) => ({ id, schema: methodForArchitecture(architecture)!.schema }) as unknown as Formula;
const schemaKeys = (architecture: string | null): string[] => Object.keys((methodForArchitecture(architecture)?.schema as unknown as { shape?: object } | undefined)?.shape ?? {});

/** The config, the releases and the model; option flags set keys of the config (`--reduction-factor 8`). */
export function adapterHubSubject(io: Io, flags: ModelFlags & { adaptersVersion?: string }, optionFlags: Map<string, string | true>, input: AdapterHubInput): AdapterHubSubject {
  const adaptersVersion = flags.adaptersVersion ?? takeAdaptersVersion(optionFlags);
  const used = new Set<string>();
  let req: AdapterHubRequest;
  if ("spec" in input) req = parseAdapterHubSpec(input.spec, optionFlags, used);
  else {
    const name = typeof input.adapter["name"] === "string" ? input.adapter["name"] : input.file;
    const u = optionFlags.get(UNFREEZE_LAYER_NORMS);
    if (u !== undefined) used.add(UNFREEZE_LAYER_NORMS);
    req = { method: `adapters:${name}`, title: `AdapterHub adapter ${name}`, input: input.adapter, unfreezeLayerNorms: u === true || u === "true" };
  }
  const { configs } = resolveAdapterHub(req.input);
  if (configs.length !== 1)
    throw new UsageError("UNION_KNOB", `${req.method} is a union of ${configs.length} AdapterHub configs (${configs.map((c) => c.config ?? c.architecture ?? "bottleneck").join(" + ")}): each has its own knobs`, "budget or sweep one component at a time, e.g. --method par_bn or --method \"prefix_tuning[bottleneck_size=800]\"");
  let config = configs[0]!;
  // flags the spec did not take (a config string, a saved file) set keys of the one config
  const keys = schemaKeys(config.architecture);
  for (const [key, text] of optionFlags) {
    if (used.has(key) || !keys.includes(key)) continue;
    const origin = `--${key.replace(/_/g, "-")}`;
    const value = flagValue(asFormula(req.method, config.architecture), key, text);
    if ("file" in input && key in config.options && JSON.stringify(config.options[key]) !== JSON.stringify(value))
      io.stderr(`warning: ${origin} overrides "${key}": ${JSON.stringify(config.options[key])} from ${input.file} (now ${JSON.stringify(value)})\n`);
    config = { ...config, options: { ...config.options, [key]: value } };
    used.add(key);
  }
  for (const key of optionFlags.keys())
    if (!used.has(key))
      throw new UsageError("UNKNOWN_OPTION", `unknown option --${key.replace(/_/g, "-")} for the AdapterHub config ${req.method}`, `options of this config: ${keys.join(", ")}`);
  const { ctx, ref, inv, versions } = adapterHubModel(io, flags, adaptersVersion, input);
  // the row as given: from the spec or file itself (its named config shown), unless flags changed the config
  const base = adapterHubRow(inv, config === configs[0] ? req : { ...req, input: inputOf(config, {}) }, ctx);
  return { req, config, ctx, ref, inv, versions, base };
}

function inputOf(config: ResolvedAdapterHubConfig, set: Record<string, unknown>): Record<string, unknown> {
  return { architecture: config.architecture, ...config.options, ...set };
}

/** The row at knob = value (AdapterHub's count), its options shown as the given row's with the knob set. */
export function knobRow(s: Omit<AdapterHubSubject, "base"> & { base?: Row }, key: string, value: number): Row {
  const row = adapterHubRow(s.inv, { ...s.req, input: inputOf(s.config, { [key]: value }) }, s.ctx);
  const shown = s.base?.options ?? row.options;
  return { ...row, options: { ...shown, [key]: value }, warnings: [...new Set([...(s.base?.warnings ?? []), ...row.warnings])] };
}

/** --knob KEY, else the config's main knob; an explicit key must be an option of its config. */
export function adapterHubKnob(s: AdapterHubSubject, explicit: string | undefined, origin = "--knob"): SizeKnob {
  const declared = adapterHubKnobsOf(s.config.architecture);
  if (explicit === undefined) {
    const k = declared[0];
    if (!k) throw new UsageError("NO_SIZE_KNOB", `${s.req.method} has no integer size knob to search`, "AdapterHub knobs: reduction_factor / phm_dim (bottleneck, Compacter), r (lora, reft), prefix_length / bottleneck_size (prefix_tuning), prompt_length (prompt_tuning)");
    return k;
  }
  const keys = schemaKeys(s.config.architecture);
  if (!keys.includes(explicit)) throw new UsageError("UNKNOWN_OPTION", `${origin}: ${s.req.method} has no option "${explicit}"`, `options of ${s.req.method}: ${keys.join(", ")}`);
  return declared.find((k) => k.key === explicit) ?? { key: explicit, min: 1 };
}


/** AdapterHub saved files are not sized by peftcount: --dtype and --max-adapter-size are refused for them, as check does. */
export function refuseSizes(what: string | undefined): void {
  if (what !== undefined)
    throw new UsageError("LIMIT_NOT_APPLICABLE", `${what} applies to PEFT adapters: peftcount does not model the files AdapterHub saves (save_adapter's pytorch_adapter.bin / safetensors)`, "budget an AdapterHub config with --max-trainable or --percent; sweep it without --dtype");
}
