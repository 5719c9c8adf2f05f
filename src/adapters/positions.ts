/**
 * Where AdapterHub puts per-layer modules, read from the model's anatomy (never from its name). AdapterHub
 * numbers layers the way its `iter_layers()` yields them: encoder layers 0..E-1, then decoder layers E..E+D-1
 * (adapters src/adapters/models/t5/mixin_t5.py, bart/mixin_bart.py `iter_layers`); `leave_out`, per-layer
 * `reduction_factor` keys and ReFT's `layers` use these numbers. In each layer a bottleneck adapter can sit
 * after the self-attention output (`mh_adapter`), after the feed-forward output (`output_adapter`) and, in the
 * decoder of an encoder-decoder model, after the cross-attention (`cross_adapter`). The cross-attention of a
 * single-stack decoder (GPT-2 / BERT with add_cross_attention) gets no bottleneck adapter here (GPT-2's block
 * adapts only attention and MLP; BERT's copied BertSelfOutput would: not modelled, `crossAsSelf` marks it).
 */
import { anatomyOf } from "../model/anatomy-paths.js";
import type { Inventory } from "../model/types.js";

export interface AdapterHubLayer {
  /** AdapterHub's `layer_idx` (global across encoder and decoder) */
  readonly index: number;
  readonly stack: "encoder" | "decoder";
  /** path prefix of the stack's layers (`encoder.block`, `model.layers`) */
  readonly layersPath: string;
  readonly selfAttention: boolean;
  readonly feedForward: boolean;
  /** a cross-attention block AdapterHub adapts with `cross_adapter` (decoder of an encoder-decoder) */
  readonly crossAdapter: boolean;
  /** a cross-attention block of a single-stack decoder (no bottleneck adapter counted there) */
  readonly crossAsSelf: boolean;
}

/** The hidden size AdapterHub sizes its modules by (`model_config.hidden_size`). */
export function hiddenSizeOf(inv: Inventory): number {
  return inv.anatomy?.hiddenSize ?? inv.dims.hiddenSize;
}

/** `embedding_size` where the config has one (ALBERT, ELECTRA), else the hidden size: the invertible adapters' width. */
export function embeddingSizeOf(inv: Inventory): number {
  const e = inv.config?.["embedding_size"];
  return typeof e === "number" && Number.isSafeInteger(e) && e > 0 ? e : hiddenSizeOf(inv);
}

/** The layers in AdapterHub's order. */
export function adapterHubLayers(inv: Inventory): AdapterHubLayer[] {
  const a = anatomyOf(inv, "AdapterHub");
  const encDec = a.stacks.length > 1;
  const out: AdapterHubLayer[] = [];
  for (const stack of a.stacks)
    for (const layer of stack.layers) {
      const cross = layer.crossAttention !== undefined;
      out.push({
        index: out.length,
        stack: stack.role,
        layersPath: stack.layersPath,
        selfAttention: layer.selfAttention !== undefined,
        feedForward: layer.ffn !== undefined || layer.experts !== undefined,
        crossAdapter: cross && encDec,
        crossAsSelf: cross && !encDec,
      });
    }
  return out;
}

/**
 * The module path of the backbone AdapterHub calls `model.base_model` (`bert`, `model`, `transformer`), or ""
 * when the task model is its own base model (a bare `<Arch>Model`, T5ForConditionalGeneration).
 */
export function baseModelPrefix(inv: Inventory): string {
  if (inv.task === "FEATURE_EXTRACTION") return "";
  const embed = inv.anatomy?.embeddings[0] ?? inv.inputEmbeddings;
  const dot = embed.indexOf(".");
  return dot > 0 ? embed.slice(0, dot) : "";
}
