/**
 * AdapterHub on the command line: `--method "adapters:seq_bn reduction_factor=8"`, config strings wherever a
 * method spec is accepted (`--method houlsby`, `--method "prefix_tuning[bottleneck_size=800]|par_bn"`), and
 * saved AdapterHub adapter_config.json files. Rows follow AdapterHub's convention (train_adapter) and say so
 * (`library: "adapters"`); both denominators are shown: percentOfAll (trainable / all) and percentOfFull
 * (trainable / base), plus adapter_summary()'s own %Param (adapter / base model without heads).
 * `unfreeze_layer_norms=true` (not an AdapterHub key: the Compacter paper's option) also trains every norm.
 */
import { modelParams } from "../../model/compact.js";
import type * as z from "zod/mini";
import { ADAPTERHUB_PREFIX, methodForArchitecture, namedConfig, UNFREEZE_LAYER_NORMS, unknownConfigHint } from "../../../formulas/adapters/registry.js";
import type { Formula } from "../../../formulas/types.js";
import { countAdapterHub } from "../../adapters/count.js";
import { parseConfigString } from "../../adapters/config-string.js";
import { HEAD_TYPES, parseHeadType, type AdapterHubHead } from "../../adapters/heads.js";
import type { AdapterHubContext } from "../../adapters/types.js";
import { didYouMean, UsageError } from "../../errors.js";
import type { Inventory } from "../../model/types.js";
import type { Row } from "../../report/schema.js";
import { coerce } from "../method-args.js";

export { UNFREEZE_LAYER_NORMS };

export interface AdapterHubRequest {
  /** what the row is called: `adapters:seq_bn`, or `adapters:` and the config string as written */
  readonly method: string;
  readonly title: string;
  /** a config string, or an adapter file / config dict */
  readonly input: unknown;
  readonly unfreezeLayerNorms: boolean;
  /** a flexible head added with add_*_head (AdapterHub's AdapterModel on the bare model) */
  readonly head?: AdapterHubHead | undefined;
}

/** `adapters:…`, or a first word that is an AdapterHub config string (never a PEFT id: `lora` stays PEFT's). */
export function isAdapterHubSpec(spec: string, isPeftId: (id: string) => boolean): boolean {
  const t = spec.trim();
  if (t.startsWith(ADAPTERHUB_PREFIX)) return true;
  const first = t.split(/\s+/)[0] ?? "";
  if (isPeftId(first)) return false;
  if (/[[|]/.test(t)) return namedConfig(t.split(/[[|]/)[0]!.trim()) !== undefined;
  return namedConfig(first) !== undefined;
}

/** a JS value as a Python literal for a config string */
function py(v: unknown): string {
  if (v === true) return "True";
  if (v === false) return "False";
  if (v === null || v === undefined) return "None";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(py).join(", ")}]`;
  return `{${Object.entries(v as object).map(([k, x]) => `'${k}': ${py(x)}`).join(", ")}}`;
}

const asFormula = (id: string, schema: z.ZodMiniType) => ({ id, schema }) as unknown as Formula;

/**
 * A spec → request. `adapters:<name> key=value ...` (values typed by the method's schema), or a config
 * string as AdapterHub parses it. Option flags (`--reduction-factor 8`) apply to a single named config.
 */
export function parseAdapterHubSpec(spec: string, flags: ReadonlyMap<string, string | true> = new Map(), used: Set<string> = new Set()): AdapterHubRequest {
  const trimmed = spec.trim();
  // "houlsby reduction_factor=8" (a named config, then key=value words) and a bare "houlsby" read as
  // "adapters:houlsby ...": option flags (--reduction-factor 8) then apply to it
  const t = !trimmed.startsWith(ADAPTERHUB_PREFIX) && !/[[|]/.test(trimmed) ? `${ADAPTERHUB_PREFIX}${trimmed}` : trimmed;
  let unfreeze = false;
  if (!t.startsWith(ADAPTERHUB_PREFIX) || /[[|]/.test(t.split(/\s+/)[0]!)) {
    const text = t.startsWith(ADAPTERHUB_PREFIX) ? t.slice(ADAPTERHUB_PREFIX.length) : t;
    parseConfigString(text, (n) => namedConfig(n) !== undefined, unknownConfigHint);
    // namespaced like every AdapterHub row (`adapters:houlsby`, `adapters:prefix_tuning[bottleneck_size=800]|par_bn`)
    const heads = new Map<string, string | true>();
    for (const key of HEAD_KEYS) if (flags.has(key)) (heads.set(key, flags.get(key)!), used.add(key));
    return withHead({ method: `${ADAPTERHUB_PREFIX}${text}`, title: titleOf(text), input: text, unfreezeLayerNorms: flagBool(flags, used) }, heads);
  }
  const [id, ...pairs] = t.split(/\s+/);
  const name = id!.slice(ADAPTERHUB_PREFIX.length);
  const nc = namedConfig(name);
  if (!nc) throw new UsageError("UNKNOWN_METHOD", `unknown AdapterHub config "${name}"`, unknownConfigHint(name));
  const method = nc.architecture === "union" ? undefined : methodForArchitecture(nc.architecture);
  const keys = method ? Object.keys((method.schema as unknown as { shape: object }).shape) : [];
  const kwargs: Record<string, unknown> = {};
  const heads = new Map<string, string | true>();
  const setKey = (key: string, text: string | true, origin: string) => {
    if (key === UNFREEZE_LAYER_NORMS) {
      unfreeze = text === true || text === "true" || text === "True";
      return;
    }
    if (HEAD_KEYS.includes(key)) return void heads.set(key, text);
    if (!method) throw new UsageError("UNKNOWN_OPTION", `${origin}: options of the union "${name}" are given per component`, `write the components as a config string: --method "prefix_tuning[bottleneck_size=256]|par_bn[reduction_factor=4]"`);
    if (!keys.includes(key)) throw new UsageError("UNKNOWN_OPTION", `${origin}: "${key}" is not an option of ${nc.className}`, `${didYouMean(key, keys)}${nc.name}'s options: ${keys.join(", ")}`);
    try {
      kwargs[key] = typeof text === "string" && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text) ? Number(text) : coerce(asFormula(id!, method.schema), key, text, origin);
    } catch (e) {
      // coerce's hints name PEFT's keys: say what AdapterHub values look like
      if (e instanceof UsageError && e.code === "INVALID_FLAG") throw new UsageError(e.code, e.message, `AdapterHub values: numbers, true / false, JSON lists and dicts (leave_out=[0,1], reduction_factor={"0":8,"default":16}) or words (non_linearity=swish)`);
      throw e;
    }
  };
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    setKey((eq < 0 ? pair : pair.slice(0, eq)).replace(/-/g, "_"), eq < 0 ? true : pair.slice(eq + 1), `--method "${spec}"`);
  }
  for (const [key, text] of flags) {
    if (key in kwargs || heads.has(key)) continue;
    if (key === UNFREEZE_LAYER_NORMS || HEAD_KEYS.includes(key) || keys.includes(key)) {
      setKey(key, text, `--${key.replace(/_/g, "-")}`);
      used.add(key);
    }
  }
  // key=value words are peftcount's syntax, not Python: a whole-number scaling is the float AdapterHub needs
  const args = Object.entries(kwargs).map(([k, v]) => `${k}=${k === "scaling" && Number.isInteger(v) ? `${String(v)}.0` : py(v)}`);
  const input = args.length ? `${name}[${args.join(", ")}]` : name;
  return withHead({ method: id!, title: nc.title, input, unfreezeLayerNorms: unfreeze }, heads);
}

/** peftcount's keys for a flexible head on the bare model (src/adapters/heads.ts): head=classification head_layers=2 num_labels=3 */
export const HEAD_KEYS = ["head", "head_layers", "num_labels"];

/** The request with the head its `head` / `head_layers` / `num_labels` keys ask for. */
export function withHead(req: AdapterHubRequest, keys: ReadonlyMap<string, string | true>): AdapterHubRequest {
  if (keys.size === 0) return req;
  const type = keys.get("head");
  if (typeof type !== "string") throw new UsageError("INVALID_FLAG", `${[...keys.keys()].join(", ")} describe a flexible head: name its type with head=<type>`, `head types: ${HEAD_TYPES.join(", ")}`);
  const int = (key: string): number | undefined => {
    const v = keys.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== "string" || !/^\d+$/.test(v) || Number(v) < 1) throw new UsageError("INVALID_FLAG", `${key} must be a positive integer (got ${JSON.stringify(v)})`, `e.g. ${key}=2`);
    return Number(v);
  };
  const head: AdapterHubHead = { type: parseHeadType(type), layers: int("head_layers"), numLabels: int("num_labels") };
  return { ...req, title: `${req.title} + ${head.type} head`, head };
}

function flagBool(flags: ReadonlyMap<string, string | true>, used: Set<string>): boolean {
  const v = flags.get(UNFREEZE_LAYER_NORMS);
  if (v === undefined) return false;
  used.add(UNFREEZE_LAYER_NORMS);
  return v === true || v === "true";
}

function titleOf(text: string): string {
  const names = text.split("|").map((c) => c.split("[")[0]!.trim());
  if (names.length === 1) return namedConfig(names[0]!)?.title ?? "AdapterHub config";
  return `AdapterHub union: ${names.join(" + ")}`;
}

/** the parsed options that differ from the named config's (or the method's) defaults */
function changed(c: { architecture: string | null; config?: string; parsed: Record<string, unknown> }): Record<string, unknown> {
  const method = methodForArchitecture(c.architecture);
  const base = method?.schema.safeParse({ ...(c.config ? namedConfig(c.config)?.defaults : {}) });
  const shape = (method?.schema as unknown as { shape?: Record<string, z.ZodMiniType> } | undefined)?.shape ?? {};
  const defaults: Record<string, unknown> = base?.success ? (base.data as Record<string, unknown>) : {};
  if (!base?.success) for (const [k, t] of Object.entries(shape)) { const r = t.safeParse(undefined); if (r.success) defaults[k] = r.data; }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.parsed)) if (JSON.stringify(v) !== JSON.stringify(defaults[k])) out[k] = v;
  return out;
}

const percent = (n: number, d: number) => (d === 0 ? 0 : (100 * n) / d);

/** One report row with AdapterHub's convention. */
export function adapterHubRow(inv: Inventory, req: AdapterHubRequest, ctx: AdapterHubContext): Row {
  const b = countAdapterHub(inv, req.input, ctx, { unfreezeLayerNorms: req.unfreezeLayerNorms, head: req.head });
  const base = modelParams(inv);
  const shown = b.configs.map((c) => ({ ...(c.config ? { config: c.config } : { architecture: c.architecture }), ...changed(c) }));
  const options: Record<string, unknown> = shown.length === 1 ? shown[0]! : { configs: shown };
  if (req.unfreezeLayerNorms) options[UNFREEZE_LAYER_NORMS] = true;
  if (req.head) options["head"] = { type: req.head.type, ...(req.head.layers ? { layers: req.head.layers } : {}), ...(req.head.numLabels ? { num_labels: req.head.numLabels } : {}) };
  const row = {
    method: req.method,
    // every row names its library in text output too (the table's legend is PEFT's)
    title: /AdapterHub/.test(req.title) ? req.title : `AdapterHub ${req.title}`,
    options,
    trainableParams: b.trainable,
    allParams: b.allParams,
    baseParams: base,
    percentOfAll: percent(b.trainable, b.allParams),
    percentOfFull: percent(b.trainable, base),
    parts: b.parts.map((p) => ({ name: p.name, modules: p.modules, count: p.count, ...(p.kind ? { kind: p.kind } : {}) })),
    warnings: [
      ...b.warnings,
      ...(req.unfreezeLayerNorms ? ["unfreeze_layer_norms is the Compacter paper's option, not an AdapterHub key: every layer norm trains too"] : []),
    ],
    library: "adapters" as const,
    adapterConfig: b.configs.length === 1 ? { architecture: b.configs[0]!.architecture, ...b.configs[0]!.parsed } : { architecture: "union", configs: b.configs.map((c) => ({ architecture: c.architecture, ...c.parsed })) },
    adapterSummary: { params: b.adapterParams, percentParam: percent(b.adapterParams, b.summaryFullModel), fullModel: b.summaryFullModel },
  };
  return row satisfies Row;
}

/**
 * The denominators of an AdapterHub row, said once: % of full FT is trainable / the model as built (heads
 * included); adapter_summary()'s %param is the adapter's own parameters / its "Full model" (base_model without
 * the adapter: task heads and lm_head left out).
 */
export const ADAPTERHUB_DENOMINATORS =
  "trainable = requires_grad after train_adapter() (a head outside base_model stays trainable); % of full FT = trainable / base (heads included); adapter_summary()'s %param = the adapter's parameters / its Full model (base_model without heads and lm_head)";

/** adapter_summary()'s own numbers for a row, then the denominators */
export function adapterSummaryNote(row: Row): string {
  const s = row.adapterSummary!;
  return `adapter_summary(): #param ${s.params.toLocaleString("en-US")}, %param ${s.percentParam.toFixed(4)} of Full model ${s.fullModel.toLocaleString("en-US")}. ${ADAPTERHUB_DENOMINATORS}`;
}

/** A saved AdapterHub adapter_config.json (or a bare AdapterHub config dict) rather than a PEFT one. */
export function looksLikeAdapterHubFile(adapter: Record<string, unknown>): boolean {
  if (typeof adapter["peft_type"] === "string") return false;
  return "config" in adapter || "architecture" in adapter || ("reduction_factor" in adapter && "mh_adapter" in adapter);
}
