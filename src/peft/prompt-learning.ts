/**
 * PEFT's prompt-learning setup (peft src/peft/utils/other.py `_prepare_prompt_learning_config`, called by
 * `PeftModel.add_adapter`): the sizes a prompt encoder is built from, read from the model's config dict
 * (`config.to_dict()`, the `text_config` of a multimodal one) unless the adapter config gives them.
 * - num_layers: peft ≥ 0.19 reads the config *attribute* `num_hidden_layers` (transformers' attribute_map
 *   aliases included: T5 `num_layers`, GPT-2 `n_layer`, BART `encoder_layers`); older releases look for the
 *   dict keys num_hidden_layers / num_layers / n_layer (DistilBERT has `n_layers`: PEFT asks for num_layers).
 * - token_dim: dict key hidden_size / n_embd / d_model (DistilBERT's `dim` is none of them).
 * - num_attention_heads: num_attention_heads / n_head / num_heads / encoder_attention_heads.
 * - prefix tuning and cartridges, when the dict has `num_key_value_heads` (GQA, #1901): token_dim becomes
 *   the key/value width, heads the kv heads. peft 0.17: token_dim // heads × kv; peft ≥ 0.18 (#2883, the
 *   Qwen3 fix): head_dim × kv with the dict's `head_dim` when set (Gemma: 256, not hidden/heads); peft ≥ 0.20
 *   also provisions `global_head_dim` / the widest `per_layer_config` entry (Gemma 4). Falcon's config
 *   class calls its kv heads `num_kv_heads`, so Falcon-7B (multi-query) keeps token_dim = hidden_size.
 * - num_transformer_submodules: 2 for task_type SEQ_2_SEQ_LM (encoder and decoder prompts), else 1.
 * Which keys the dict holds besides the config.json's own is the config class's doing; the tables below
 * were read from transformers 5.18.0's `AutoConfig.for_model(t).to_dict()` and hold for 4.43 too.
 */
import * as z from "zod/mini";
import { InputError } from "../errors.js";
import type { Inventory } from "../model/types.js";
import { taskSchema } from "../model/tasks.js";
import { atLeast, type Versions } from "../versions.js";
import { described } from "./targeting-schema.js";

const positive = z.int().check(z.positive());

/** Keys every prompt-learning config has (PromptLearningConfig), PEFT's names and defaults. */
export const promptLearningKeys = {
  token_dim: z._default(z.nullable(positive), null),
  num_layers: z._default(z.nullable(positive), null),
  num_attention_heads: z._default(z.nullable(positive), null),
  num_transformer_submodules: z._default(z.nullable(positive), null),
  modules_to_save: z._default(z.nullable(z.array(z.string())), null),
  task_type: z._default(z.nullable(taskSchema), null),
};

/** The prompt-learning keys of the methods whose prompt is an embedding (prompt tuning, multitask, P-tuning), described. */
export const PROMPT_EMBEDDING_KEYS = {
  token_dim: described(promptLearningKeys.token_dim, "prompt width; null: the model's hidden_size"),
  num_layers: described(promptLearningKeys.num_layers, "layer count; null: the model's (no effect on the count)"),
  num_attention_heads: described(promptLearningKeys.num_attention_heads, "head count; null: the model's (no effect on the count)"),
  num_transformer_submodules: described(promptLearningKeys.num_transformer_submodules, "prompts per model (null: 2 for SEQ_2_SEQ_LM, else 1)"),
  modules_to_save: described(promptLearningKeys.modules_to_save, "modules trained fully, as a copy"),
  task_type: described(promptLearningKeys.task_type, "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head; SEQ_2_SEQ_LM doubles the prompt"),
};

export interface PromptLearningOptions {
  readonly token_dim: number | null;
  readonly num_layers: number | null;
  readonly num_attention_heads: number | null;
  readonly num_transformer_submodules: number | null;
  readonly task_type: string | null;
}

/** The sizes PEFT resolved, as it writes them back into the adapter config. */
export interface PromptLearningSizes {
  readonly numLayers: number;
  readonly tokenDim: number;
  readonly numAttentionHeads: number;
  readonly numTransformerSubmodules: number;
}

/** Config classes without `num_key_value_heads` (every other one defines it, defaulting to the head count). */
const NO_KV_HEADS = new Set(["gpt2", "gpt_neox", "gptj", "opt", "bloom", "falcon", "RefinedWeb", "RefinedWebModel", "bert", "roberta", "xlm-roberta", "deberta-v2", "distilbert", "t5", "mt5", "bart", "mamba2", "mamba", "falcon_mamba", "openelm"]);
/** Config classes whose `head_dim` is always set (to a fixed default or hidden/heads); others only from config.json. */
const HEAD_DIM_DEFINED = new Set(["llama", "mistral", "qwen3", "gemma", "gemma2", "gemma3_text", "gpt_oss", "deepseek_v2", "deepseek_v3", "llama4_text", "qwen3_next"]);
/** DistilBERT stores n_layers / dim / n_heads: none of the dict keys PEFT looks for. */
const NO_DICT_SIZES = new Set(["distilbert", "openelm"]);
/** DBRX stores d_model / n_heads / n_layers (attribute_map aliases are not dict keys): PEFT finds the width (d_model) but no head count, and no layer count before peft 0.19. */
const N_KEYS_ONLY = new Set(["dbrx"]);
/** Mamba / Falcon-Mamba have no attention, so no head count under any name PEFT looks for (it raises). */
const NO_HEAD_COUNT = new Set(["mamba", "falcon_mamba"]);
/** OpenELM's remote config stores num_transformer_layers / model_dim / num_query_heads (lists): PEFT finds none of them, in any release. */
const NO_SIZES_AT_ALL = new Set(["openelm"]);

function rawInt(raw: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const v = raw[key];
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

function missing(key: string, what: string): never {
  throw new InputError(
    "MISSING_OPTION",
    `PEFT cannot find ${what} in this model's config dict and raises "Please specify \`${key}\` in \`peft_config\`"`,
    `set ${key} in the adapter options`,
  );
}

/** `num_layers` as PEFT finds it. */
function layersOf(inv: Inventory, ctx: Versions): number {
  if (NO_SIZES_AT_ALL.has(inv.modelType)) missing("num_layers", "the layer count");
  if (atLeast(ctx.peft, "0.19.0")) return inv.dims.numHiddenLayers;
  // the dict: BART's num_hidden_layers entry left it in transformers 5 (transformers#41250)
  if (NO_DICT_SIZES.has(inv.modelType) || N_KEYS_ONLY.has(inv.modelType) || (inv.modelType === "bart" && ctx.transformers[0] >= 5)) missing("num_layers", "the layer count");
  return inv.dims.numHiddenLayers;
}

/** GQA: key/value width and heads, when the dict has num_key_value_heads; undefined otherwise. */
function kvShape(inv: Inventory, tokenDim: number, heads: number, ctx: Versions): { tokenDim: number; heads: number } | undefined {
  const raw = inv.config ?? {};
  let kv: number | undefined;
  if (!NO_KV_HEADS.has(inv.modelType)) kv = inv.dims.numKeyValueHeads;
  else if (raw["num_key_value_heads"] !== undefined) {
    kv = rawInt(raw, "num_key_value_heads");
    if (kv === undefined)
      throw new InputError("INVALID_CONFIG", `config.json: "num_key_value_heads" must be a positive integer for PEFT's prefix sizes`, "fix or remove num_key_value_heads");
  }
  if (kv === undefined) return undefined;
  if (!atLeast(ctx.peft, "0.18.0")) return { tokenDim: Math.floor(tokenDim / heads) * kv, heads: kv };
  const fallback = Math.floor(tokenDim / heads);
  const headDim = rawInt(raw, "head_dim") ?? (HEAD_DIM_DEFINED.has(inv.modelType) ? inv.dims.headDim : undefined);
  if (atLeast(ctx.peft, "0.20.0")) {
    const global = rawInt(raw, "global_head_dim");
    if (global !== undefined) {
      const n = rawInt(raw, "num_global_key_value_heads") ?? kv;
      return { tokenDim: global * n, heads: n };
    }
    const perLayer = raw["per_layer_config"];
    if (perLayer !== null && typeof perLayer === "object") {
      let best = { dim: headDim ?? fallback, kv };
      for (const layer of Object.values(perLayer as Record<string, Record<string, unknown>>)) {
        const dim = rawInt(layer, "head_dim") ?? (headDim ?? fallback);
        if (dim > best.dim) best = { dim, kv: rawInt(layer, "num_key_value_heads") ?? kv };
      }
      return { tokenDim: best.dim * best.kv, heads: best.kv };
    }
  }
  return { tokenDim: (headDim ?? fallback) * kv, heads: kv };
}

/**
 * The sizes PEFT builds the prompt encoder from. `gqa`: prefix tuning and cartridges (the key/value
 * width); prompt tuning, P-tuning and the others keep hidden_size.
 */
export function preparePromptLearning(inv: Inventory, o: PromptLearningOptions, gqa: boolean, ctx: Versions): PromptLearningSizes {
  const numLayers = o.num_layers ?? layersOf(inv, ctx);
  const dictSizes = !NO_DICT_SIZES.has(inv.modelType);
  const tokenDim0 = o.token_dim ?? (dictSizes ? inv.dims.hiddenSize : missing("token_dim", "the hidden size"));
  const heads0 = o.num_attention_heads ?? (dictSizes && !N_KEYS_ONLY.has(inv.modelType) && !NO_HEAD_COUNT.has(inv.modelType) ? inv.dims.numAttentionHeads : missing("num_attention_heads", "the head count"));
  const kv = gqa ? kvShape(inv, tokenDim0, heads0, ctx) : undefined;
  return {
    numLayers,
    tokenDim: kv?.tokenDim ?? tokenDim0,
    numAttentionHeads: kv?.heads ?? heads0,
    numTransformerSubmodules: o.num_transformer_submodules ?? (o.task_type === "SEQ_2_SEQ_LM" ? 2 : 1),
  };
}
