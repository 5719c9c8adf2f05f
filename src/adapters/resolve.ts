/**
 * What the user gave → the configs AdapterHub would build (adapters src/adapters/configuration/adapter_config.py
 * AdapterConfig.load / from_dict, ConfigUnion, utils.py resolve_adapter_config): a saved adapter_config.json
 * (`{"config": {...} | "name", "name", "model_type", "version"}`), a bare config dict (`architecture` picks the
 * class, null = bottleneck; unknown keys are kept as attributes: ignored here, listed as warnings), a union
 * (`{"architecture": "union", "configs": [...]}`), or a config string. A named config's kwargs must be fields of
 * its class (dataclasses.replace raises otherwise); on a union (`mam[...]`) they go to every component.
 */
import { InputError } from "../errors.js";
import { methodForArchitecture, namedConfig, unknownConfigHint } from "../../formulas/adapters/registry.js";
import { configStringError, parseConfigString } from "./config-string.js";
import type { AdapterHubNamedConfig, ResolvedAdapterHubConfig } from "./types.js";

export interface Resolved {
  readonly configs: readonly ResolvedAdapterHubConfig[];
  readonly warnings: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function schemaKeys(architecture: string | null): string[] | undefined {
  const m = methodForArchitecture(architecture);
  const shape = (m?.schema as unknown as { def?: { shape?: Record<string, unknown> } } | undefined)?.def?.shape;
  return shape ? Object.keys(shape) : undefined;
}

function notCounted(architecture: string | null, where: string): InputError {
  return new InputError("UNSUPPORTED_METHOD", `${where}: AdapterHub's "${architecture}" adapters are not counted by peftcount yet`, `peftcount counts AdapterHub bottleneck adapters and the methods listed by "peftcount methods"`);
}

/** A named config with kwargs → its component configs. */
function fromNamed(nc: AdapterHubNamedConfig, kwargs: Readonly<Record<string, unknown>>, label: string, fail: (key: string, why: string) => never): ResolvedAdapterHubConfig[] {
  if (nc.architecture === "union") {
    return (nc.components ?? []).flatMap((c) => {
      const inner = namedConfig(c.config);
      if (!inner) throw notCounted(c.config, label);
      return fromNamed(inner, { ...c.overrides, ...kwargs }, label, fail);
    });
  }
  const keys = schemaKeys(nc.architecture);
  if (!keys) throw notCounted(nc.architecture, label);
  for (const k of Object.keys(kwargs)) if (!keys.includes(k)) fail(k, `"${k}" is not an option of ${nc.className} (AdapterHub's replace() raises TypeError)`);
  return [{ architecture: nc.architecture, options: { ...nc.defaults, ...kwargs }, label, config: nc.name }];
}

/** every key of AdapterHub's ADAPTER_CONFIG_MAP (1.2.0) */
const ADAPTERHUB_NAMES = ["pfeiffer", "houlsby", "parallel", "scaled_parallel", "pfeiffer+inv", "houlsby+inv", "seq_bn", "double_seq_bn", "par_bn", "scaled_par_bn", "seq_bn_inv", "double_seq_bn_inv", "compacter++", "compacter", "prefix_tuning", "prefix_tuning_flat", "prompt_tuning", "mtl_lora", "lora", "ia3", "vera", "dora", "dvora", "loreft", "noreft", "direft", "mam", "unipelt"];

/** which keys a named config takes; a union's go to every component (ConfigUnion.replace), so name them per component */
function optionsHint(nc: AdapterHubNamedConfig): string {
  if (nc.architecture !== "union") return `${nc.name}'s options: ${(schemaKeys(nc.architecture) ?? []).join(", ")}`;
  const parts = (nc.components ?? []).map((c) => c.config);
  return `options of the union ${nc.name} go to every component (${parts.join(", ")}): write the components instead, e.g. ${parts.map((p) => `${p}[...]`).join("|")}`;
}

function fromString(text: string): ResolvedAdapterHubConfig[] {
  const known = (n: string) => {
    if (namedConfig(n) !== undefined) return true;
    if (ADAPTERHUB_NAMES.includes(n)) throw notCounted(n, `config string "${text}"`);
    return false;
  };
  const chunks = parseConfigString(text, known, unknownConfigHint);
  return chunks.flatMap((c) =>
    fromNamed(namedConfig(c.name)!, c.kwargs, chunks.length > 1 || Object.keys(c.kwargs).length ? c.text : c.name, (key, why) => {
      throw configStringError(text, text.indexOf(key, c.offset), why, optionsHint(namedConfig(c.name)!));
    }),
  );
}

function fromDict(d: Record<string, unknown>, label: string, warnings: string[]): ResolvedAdapterHubConfig {
  // saved bottleneck configs carry no architecture; "bottleneck" is AdapterHub's name for null (ConfigUnion.validate)
  const architecture = d["architecture"] === undefined || d["architecture"] === "bottleneck" ? null : d["architecture"];
  if (architecture !== null && typeof architecture !== "string") throw new InputError("INVALID_ADAPTER", `${label}.architecture must be a string or null`, 'e.g. "lora", "prefix_tuning", null for bottleneck adapters');
  const keys = schemaKeys(architecture);
  if (!keys) {
    const known = ["null (bottleneck)", "prefix_tuning", "lora", "mtl_lora", "union", "prompt_tuning", "reft"];
    if (!known.some((k) => k.startsWith(String(architecture)))) throw new InputError("INVALID_ADAPTER", `${label}: unknown AdapterHub architecture "${architecture}"`, `AdapterHub architectures: ${known.join(", ")}`);
    throw notCounted(architecture, label);
  }
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if (k === "architecture") continue;
    if (k === "invertible_adapter" && architecture === null) {
      // AdapterHub v1 nested form, read by BnConfig.__setattr__
      if (isObject(v)) Object.assign(options, { inv_adapter: v["block_type"], inv_adapter_reduction_factor: v["reduction_factor"] });
      continue;
    }
    if (!keys.includes(k)) warnings.push(`${label}: "${k}" is not an option of this AdapterHub config (kept as an attribute by AdapterHub; no effect on the count)`);
    else options[k] = v;
  }
  return { architecture, options, label };
}

/** ConfigUnion.validate: two configs of one architecture conflict unless a bottleneck pair uses other locations. */
function validateUnion(configs: readonly ResolvedAdapterHubConfig[]): void {
  for (let i = 0; i < configs.length; i++)
    for (let j = 0; j < i; j++) {
      const a = configs[i]!;
      const b = configs[j]!;
      if (a.architecture !== b.architecture) continue;
      const lo = (c: ResolvedAdapterHubConfig) => Array.isArray(c.options["leave_out"]) && (c.options["leave_out"] as unknown[]).length > 0;
      if (lo(a) || lo(b)) continue;
      if (a.architecture === null && a.options["mh_adapter"] !== b.options["mh_adapter"] && a.options["output_adapter"] !== b.options["output_adapter"]) continue;
      throw new InputError(
        "INVALID_ADAPTER_CONFIG",
        `${b.label} and ${a.label} ${a.architecture === null ? "cannot be combined (both place bottleneck adapters at the same location)" : `have the same adapter architecture (${a.architecture}) and cannot be combined`}`,
        "a ConfigUnion takes one config per method (bottleneck adapters: at different locations)",
      );
    }
}

export function resolveAdapterHub(input: unknown): Resolved {
  const warnings: string[] = [];
  let configs: ResolvedAdapterHubConfig[];
  let value = input;
  let label = "config";
  if (isObject(value) && "config" in value && !("architecture" in value)) value = value["config"];
  if (typeof value === "string") configs = fromString(value);
  else if (isObject(value) && value["architecture"] === "union") {
    const list = value["configs"];
    if (!Array.isArray(list) || list.length === 0) throw new InputError("INVALID_ADAPTER", `${label}: a union needs a non-empty "configs" list`, '{"architecture": "union", "configs": [{...}, {...}]}');
    configs = list.map((c, i) => {
      const where = `${label}.configs[${i}]`;
      if (!isObject(c)) throw new InputError("INVALID_ADAPTER", `${where} must be a config object`, "each union member is a config dict");
      if (c["architecture"] === "union") throw new InputError("INVALID_ADAPTER", `${where}: a union cannot hold a union (ConfigUnion.validate)`, "flatten the configs into one list");
      return fromDict(c, where, warnings);
    });
  } else if (isObject(value)) configs = [fromDict(value, label, warnings)];
  else throw new InputError("INVALID_ADAPTER", "an AdapterHub adapter config is a config string or a JSON object", 'e.g. "seq_bn", or {"config": {...}, "name": ..., "version": "adapters.1.2.0"}');
  if (configs.length > 1) validateUnion(configs);
  return { configs, warnings };
}
