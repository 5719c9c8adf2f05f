/**
 * AdapterHub's count (the entry point): what `model.train_adapter(name)` leaves with requires_grad, and what
 * `adapter_summary()` prints. train_adapter() freezes only `model.base_model` (adapters model_mixin.py
 * freeze_model), then unfreezes the adapter's modules and its shared parameters; the model-with-heads mixin
 * refreezes the output embeddings (freeze_embeddings). So a head outside the base model (an HF
 * `*ForSequenceClassification`'s classifier) stays trainable, an LM head does not. allParams = the model + what
 * the adapter adds; adapter_summary()'s "Full model" is the base model without the adapter (heads left out).
 */
import { modelParams } from "../model/compact.js";
import { PartSum, type ParamBreakdown, type Part } from "../breakdown.js";
import { InputError } from "../errors.js";
import { OptionsError } from "../../formulas/types.js";
import type { Inventory } from "../model/types.js";
import { numel } from "../model/types.js";
import { methodForArchitecture } from "../../formulas/adapters/registry.js";
import { baseModelPrefix } from "./positions.js";
import { resolveAdapterHub } from "./resolve.js";
import { headParams, type AdapterHubHead } from "./heads.js";
import { checkMethodSupport, isInterfaceModel, supportOf, type AdapterHubMethodType } from "./support.js";
import type { AdapterHubContext, ResolvedAdapterHubConfig } from "./types.js";

export interface AdapterHubCountOptions {
  /** also train every layer norm, as the Compacter paper's `unfreeze_layer_norms` (not an AdapterHub key) */
  readonly unfreezeLayerNorms?: boolean;
  /** a flexible prediction head added with add_*_head on the bare model (./heads.ts) */
  readonly head?: AdapterHubHead | undefined;
}

export interface AdapterHubBreakdown extends ParamBreakdown {
  /** adapter_summary()'s #param: what the adapter adds */
  readonly adapterParams: number;
  /** adapter_summary()'s "Full model": the base model's parameters (task heads and LM head left out) */
  readonly summaryFullModel: number;
  /** the configs counted, with their parsed options */
  readonly configs: readonly (ResolvedAdapterHubConfig & { readonly parsed: Record<string, unknown> })[];
}

const METHOD_TYPE: Record<string, AdapterHubMethodType> = { lora: "lora", mtl_lora: "lora", prefix_tuning: "prefix_tuning", prompt_tuning: "prompt_tuning", reft: "reft" };

/** The modules outside `model.base_model`, and which of them train (not the output embeddings). */
function headOf(inv: Inventory): { trainable: Part[]; outside: number } {
  const prefix = baseModelPrefix(inv);
  if (prefix === "") return { trainable: [], outside: 0 };
  const sum = new PartSum();
  let outside = 0;
  for (const m of inv.modules) {
    if (m.name === prefix || m.name.startsWith(`${prefix}.`)) continue;
    let n = 0;
    for (const p of m.params) if (p.tiedTo === undefined) n += numel(p.shape);
    outside += n;
    if (n > 0 && m.name !== inv.outputEmbeddings) sum.add(`${m.name} (outside base_model: stays trainable)`, n, 1, "base");
  }
  return { trainable: sum.list(), outside };
}

function layerNorms(inv: Inventory): Part[] {
  const sum = new PartSum();
  for (const m of inv.modules) if (m.kind === "norm") for (const p of m.params) if (p.tiedTo === undefined) sum.add("layer norms (unfreeze_layer_norms)", numel(p.shape), 0, "base");
  const n = inv.modules.filter((m) => m.kind === "norm").length;
  return sum.list().map((p) => ({ ...p, modules: n }));
}

/** zod's mini build has no messages: say what the value must be, and what it was. */
function issueText(i: { code: string; path: readonly PropertyKey[]; expected?: unknown; minimum?: unknown; values?: readonly unknown[]; keys?: readonly string[] }, raw: unknown): string {
  let got: unknown = raw;
  for (const p of i.path) got = got !== null && typeof got === "object" ? (got as Record<PropertyKey, unknown>)[p] : undefined;
  const shown = got === undefined ? "missing" : `got ${JSON.stringify(got)}`;
  switch (i.code) {
    case "invalid_type":
      return got === undefined ? `is required (AdapterHub's config class has no default for it)` : `must be ${String(i.expected)} (${shown})`;
    case "too_small":
      return `must be ${i.minimum === 0 ? "positive" : `at least ${String(i.minimum)}`} (${shown})`;
    case "invalid_value":
      return `must be one of ${(i.values ?? []).map((v) => JSON.stringify(v)).join(", ")} (${shown})`;
    default:
      return `has an invalid value (${shown})`;
  }
}

export function countAdapterHub(inv: Inventory, input: unknown, ctx: AdapterHubContext, o: AdapterHubCountOptions = {}): AdapterHubBreakdown {
  supportOf(inv.modelType, ctx);
  const { configs, warnings: resolveWarnings } = resolveAdapterHub(input);
  const warnings = [...resolveWarnings];
  const parts: Part[] = [];
  let added = 0;
  let frozenAdded = 0;
  const counted: (ResolvedAdapterHubConfig & { parsed: Record<string, unknown> })[] = [];
  for (const c of configs) {
    const method = methodForArchitecture(c.architecture)!;
    const type = c.architecture === null ? "bottleneck" : METHOD_TYPE[c.architecture];
    if (type && checkMethodSupport(inv.modelType, type, ctx) === "skip") {
      warnings.push(`${c.label}: AdapterHub's ${inv.modelType} model does not support ${type} (support_prompt_tuning = False): this release silently adds nothing`);
      counted.push({ ...c, parsed: { ...c.options } });
      continue;
    }
    const parsed = method.schema.safeParse(c.options);
    if (!parsed.success)
      throw new OptionsError(
        `${method.id} (${c.label})`,
        parsed.error.issues.map((i) => ({ key: i.path.map(String).join(".") || "options", message: issueText(i, c.options) })),
      );
    const r = method.count(inv, parsed.data, ctx);
    for (const p of r.parts) {
      parts.push(p);
      added += p.count;
    }
    frozenAdded += r.frozenAdded ?? 0;
    warnings.push(...(r.warnings ?? []));
    counted.push({ ...c, parsed: parsed.data as Record<string, unknown> });
  }
  const base = modelParams(inv);
  const head = headOf(inv);
  // a flexible head: its layers train, its output embeddings (untied: new) stay frozen; not part of the adapter
  const flexible = o.head ? headParams(inv, o.head, isInterfaceModel(inv.modelType, ctx)) : { parts: [], frozenAdded: 0 };
  const headAdded = flexible.frozenAdded + flexible.parts.reduce((n, p) => n + p.count, 0);
  const extra = [...head.trainable, ...flexible.parts, ...(o.unfreezeLayerNorms ? layerNorms(inv) : [])];
  const all = [...parts, ...extra];
  const trainable = all.reduce((s, p) => s + p.count, 0);
  const allParams = base + added + frozenAdded + headAdded;
  for (const n of [trainable, allParams])
    if (!Number.isSafeInteger(n)) throw new InputError("TOO_LARGE", "the AdapterHub count exceeds 2^53 and cannot be exact", "check the sizes and options");
  return {
    trainable,
    allParams,
    parts: all,
    warnings,
    adapterParams: added + frozenAdded,
    summaryFullModel: base - head.outside,
    configs: counted,
  };
}
