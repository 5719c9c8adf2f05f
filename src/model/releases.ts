/**
 * Where transformers releases build a different module tree from the same config.json. Each rule names
 * the transformers change and is checked against both eras: tests/golden/inventories.json (4.43.3) and
 * tests/golden/inventories-5.json (5.18.0, `oracle inventory`). Where the exact first release is not
 * pinned, the rule switches at the first release known to have the change (noted on the rule).
 * Rules marked "order only" change the order of `named_modules()` (what `inspect` lists and which of
 * two tied modules owns the tensor), never a count.
 */
import { InputError } from "../errors.js";
import { atLeast, formatVersion, type Version } from "../versions.js";

/**
 * T5 / mT5 always tie `lm_head` to `shared` from transformers 5: `T5Config` / `MT5Config` force
 * `tie_word_embeddings = True` (a saved `false` only turns off decoder-output scaling, T5 v1.1 /
 * flan-t5 / mT5), huggingface/transformers#42815. 4.x untied the head of those checkpoints.
 * (4.57.6 still unties; 5.x ties.)
 */
export const t5AlwaysTiesLmHead = (v: Version): boolean => v[0] >= 5;

/**
 * transformers 5 gives each `T5Stack` its own `embed_tokens` Embedding whose weight is tied to `shared`
 * (`_tied_weights_keys = {"encoder.embed_tokens.weight": "shared.weight", ...}`, the tied-weights rewrite
 * of huggingface/transformers#41541), so `named_modules()` yields `encoder.embed_tokens` and
 * `decoder.embed_tokens` as modules of their own. 4.x passed the `shared` object itself to both stacks:
 * one module, reachable under three names. (4.57.6 still shares the object.)
 */
export const t5StacksOwnEmbedTokens = (v: Version): boolean => v[0] >= 5;

/** `GPTNeoXForCausalLM.embed_out` is named `lm_head` from transformers 5.14.0 (huggingface/transformers#47198). */
export const gptNeoxHeadIsLmHead = (v: Version): boolean => atLeast(v, "5.14.0");

/**
 * Gemma and Gemma2 embed with `GemmaTextScaledWordEmbedding` / `Gemma2TextScaledWordEmbedding` (the
 * √hidden scale moved into the embedding, as Gemma3 always did) from transformers 5.4.0 (commit
 * 0e7cb4e3); before, `embed_tokens` was a plain nn.Embedding (4.57.6 too). Same parameters either way.
 */
export const gemmaScaledEmbedding = (v: Version): boolean => atLeast(v, "5.4.0");

/**
 * Phi and Phi-3 token classification: 4.43 built `classifier` (copied from MptForTokenClassification);
 * later releases build the Llama-style `score` (GenericForTokenClassification in 4.57.6 and 5.x).
 * The release in between that switched is not pinned; the rule switches at 4.57.0.
 */
export const phiTokenHeadIsScore = (v: Version): boolean => atLeast(v, "4.57.0");

/**
 * XLM-RoBERTa's task classes register `roberta` AFTER their head from transformers 5 (the modular
 * rewrite: `super().__init__(config); del self.xlm_roberta; self.roberta = ...`), so the causal-LM
 * head's decoder is the first owner of the tied word-embedding tensor. (4.57.6 still registers
 * `roberta` first.) Same parameters either way; order only.
 */
export const xlmRobertaHeadFirst = (v: Version): boolean => v[0] >= 5;

/**
 * `RobertaEmbeddings` (RoBERTa, XLM-RoBERTa) registers `position_embeddings` last, after `LayerNorm`,
 * from transformers 5 (4.43.3 and 4.57.6: word, position, token_type, LayerNorm). Order only.
 */
export const robertaPositionEmbeddingsLast = (v: Version): boolean => v[0] >= 5;

/**
 * Heads transformers added to a model type after 4.43: MixtralForQuestionAnswering and
 * Qwen2MoeForQuestionAnswering arrived in 4.47.0 (huggingface/transformers#34045).
 */
export const MOE_QA_SINCE = "4.47.0";

/**
 * Model types transformers 4.43 did not have, which peftcount builds only as transformers 5 does (their 4.x
 * trees are not modelled): asking for a 4.x tree is refused, naming the 4.x release that added the type where
 * it is pinned (GPT-OSS 4.55.0, OLMo 2 4.47.0).
 */
export function requireTransformers5(modelType: string, transformers: Version, addedIn?: string): void {
  if (transformers[0] >= 5) return;
  const when = addedIn ? `it arrived in ${addedIn}` : "it arrived after 4.43";
  throw new InputError(
    "UNSUPPORTED_MODEL_TYPE",
    `model_type "${modelType}" is built only as transformers 5 builds it, not for transformers ${formatVersion(transformers)} (transformers 4.43 has no ${modelType}; ${when})`,
    "count with --transformers-version 5.0.0 or newer (the default)",
  );
}
