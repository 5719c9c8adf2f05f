/**
 * The contract of AdapterHub (`adapters`) methods. AdapterHub is not PEFT: its own config classes and key
 * names (`BnConfig`, `LoRAConfig`, `PrefixTuningConfig`, `PromptTuningConfig`, `ReftConfig`, `ConfigUnion`),
 * its own placement (from the model's anatomy), and its own convention: `train_adapter()` freezes only
 * `model.base_model`, so a head outside it stays trainable; `adapter_summary()`'s `%Param` is over the
 * base model without adapters.
 */
import type * as z from "zod/mini";
import type { Part } from "../breakdown.js";
import type { Inventory } from "../model/types.js";
import type { Version } from "../versions.js";

/** Which releases' behaviour to reproduce: AdapterHub's, and the transformers it runs on. */
export interface AdapterHubContext {
  readonly adapters: Version;
  readonly transformers: Version;
}

/** What one AdapterHub method adds to a model. */
export interface AdapterHubParts {
  /** trainable tensors the method adds, by group (kind "adapter" per position, "shared" for PHM slow weights) */
  readonly parts: readonly Part[];
  /** parameters the method adds that stay frozen (counted in allParams only) */
  readonly frozenAdded?: number;
  readonly warnings?: readonly string[];
}

export interface AdapterHubMethod<S extends z.ZodMiniType = z.ZodMiniType> {
  /** namespaced CLI id: `adapters:seq_bn`, `adapters:lora`, ... */
  readonly id: string;
  /** AdapterHub's `architecture` key (`null` for bottleneck adapters) */
  readonly architecture: string | null;
  readonly title: string;
  readonly paper: string;
  readonly expression: string;
  /** AdapterHub's own key names and defaults */
  readonly schema: S;
  count(inv: Inventory, options: z.output<S>, ctx: AdapterHubContext): AdapterHubParts;
}

/**
 * A named config of AdapterHub's `ADAPTER_CONFIG_MAP` (`seq_bn`, `houlsby`, `compacter`, `lora`, `ia3`, `mam`):
 * the config class's own defaults over the method's schema defaults. A union (`mam`, `unipelt`) lists its
 * components instead; `replaceAll` is applied to every component (UniPELT's `use_gating=True`).
 */
export interface AdapterHubNamedConfig {
  /** the key users write: `seq_bn`, `pfeiffer`, `compacter++`, `prefix_tuning_flat` */
  readonly name: string;
  /** AdapterHub's config class (`SeqBnConfig`, `CompacterConfig`, `MAMConfig`) */
  readonly className: string;
  /** the method's `architecture` (`null` for bottleneck adapters), or "union" */
  readonly architecture: string | null;
  /** keys whose class default differs from the method schema's default */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** for unions: the components, each a named config plus overrides */
  readonly components?: readonly { readonly config: string; readonly overrides?: Readonly<Record<string, unknown>> }[];
  /** one line for `methods` */
  readonly title: string;
  /** the count in one line, where it differs from the method's (Compacter's PHM layers, (IA)^3's vectors, VeRA) */
  readonly expression?: string;
  readonly paper?: string;
  /** a deprecated alias (`pfeiffer` for `seq_bn`) */
  readonly aliasOf?: string;
}

/** One resolved (non-union) config: the method's architecture and the options it is counted with. */
export interface ResolvedAdapterHubConfig {
  readonly architecture: string | null;
  /** raw options (AdapterHub key names); the method's schema validates them */
  readonly options: Readonly<Record<string, unknown>>;
  /** where it came from, for messages: `double_seq_bn[reduction_factor=8]`, `config.configs[1]` */
  readonly label: string;
  /** the named config it was built from (`seq_bn`), if any */
  readonly config?: string;
}
