/**
 * AdapterHub `prompt_tuning` (PromptTuningConfig; adapters src/adapters/methods/prompt_tuning.py): one
 * prompt embedding of prompt_length × embedding_size, where embedding_size is the config's
 * `embedding_size` (ALBERT, DeBERTa-v2) else hidden_size, added once at the base model
 * (model_mixin.py `_default_init_adapter_methods`).
 * Only interfaces that allow it have it: the BERT-like mixins do; T5 / mT5, BART, GPT-2, GPT-J, Llama,
 * Mistral set `support_prompt_tuning = False` and plugin interfaces (Qwen2) do not list it. There adapters
 * 1.2.0 refuses the config (`supports_adapter`, 2884024 #738); 1.0.0 silently added no prompt (0 trainable).
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { checkMethodSupport } from "../../src/adapters/support.js";
import type { AdapterHubMethod, AdapterHubNamedConfig } from "../../src/adapters/types.js";
import { InputError } from "../../src/errors.js";
import { describe } from "../types.js";

const schema = lazySchema(() => z.object({
  prompt_length: describe(z._default(z.int().check(z.positive()), 10), "prompt tokens"),
  prompt_init: describe(z._default(z.enum(["random_uniform", "from_string"]), "random_uniform"), "initialisation (values only)"),
  prompt_init_text: describe(z._default(z.nullable(z.string()), null), "text to initialise from (required with from_string)"),
  combine: describe(z._default(z.enum(["prefix", "prefix_after_bos"]), "prefix"), "where the prompt goes (no effect on the count)"),
  init_weights_seed: describe(z._default(z.nullable(z.int()), null), "seed (no effect on the count)"),
}));

export const adaptersPromptTuning: AdapterHubMethod<typeof schema> = {
  id: "adapters:prompt_tuning",
  architecture: "prompt_tuning",
  title: "Prompt tuning (AdapterHub)",
  paper: "https://arxiv.org/abs/2104.08691",
  expression: "prompt_length · embedding_size",
  schema,
  count(inv, o, ctx) {
    if (o.prompt_init === "from_string" && o.prompt_init_text === null)
      throw new InputError("ADAPTERS_INVALID", "adapters:prompt_tuning: Prompt text must be provided when using prompt_init='from_string'.", "set prompt_init_text");
    if (checkMethodSupport(inv.modelType, "prompt_tuning", ctx) === "skip")
      return { parts: [], warnings: [`adapters:prompt_tuning: ${inv.modelType}'s AdapterHub interface has no prompt tuning; adapters < 1.2.0 adds no prompt (0 trainable), 1.2.0 refuses it`] };
    const width = inv.config?.["embedding_size"];
    const size = typeof width === "number" ? width : inv.dims.hiddenSize;
    return { parts: [{ name: "prompt_tuning.prompt_embedding", modules: 1, count: o.prompt_length * size, kind: "prompt" }], warnings: [] };
  },
};

export const PROMPT_TUNING_CONFIG: AdapterHubNamedConfig = { name: "prompt_tuning", className: "PromptTuningConfig", architecture: "prompt_tuning", title: "Prompt tuning: 10 soft prompt tokens", paper: "https://arxiv.org/abs/2104.08691" };
