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
