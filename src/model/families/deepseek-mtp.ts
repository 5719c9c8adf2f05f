/**
 * DeepSeek-V3's multi-token-prediction (MTP) module, reported next to the model, never in its total:
 * the checkpoint stores it as `model.layers.<num_hidden_layers>` but transformers does not build it
 * (DeepseekV3ForCausalLM has `num_hidden_layers` layers), so PEFT never sees it.
 *
 * Per predicted token (`num_nextn_predict_layers`), DeepSeek's README_WEIGHTS.md lists: `enorm` and `hnorm`
 * (RMSNorm h each), `eh_proj` (Linear 2h → h, no bias), one decoder layer with the main model's shapes (MoE,
 * as the layers after `first_k_dense_replace`), `shared_head.norm` (RMSNorm h), and copies of the embedding
 * and output head (`embed_tokens`, `shared_head.head`, V·h each), shared with the main model in training.
 * DeepSeek-V3: 11.5B unique parameters, 14B with the copies (685B checkpoint = 671B model + 14B MTP).
 */
import type { ConfigReader } from "../config.js";
import { numel, type Inventory } from "../types.js";

export interface MtpCount {
  readonly layers: number;
  /** parameters of the MTP module(s) besides the embedding and head copies */
  readonly unique: number;
  /** the copies of the embedding and output head the checkpoint stores with them */
  readonly copies: number;
}

/** The MTP module's parameters for a built DeepSeek inventory (its last layer stands for the MTP layer's block). */
export function mtpCount(cfg: ConfigReader, inv: Inventory): MtpCount | undefined {
  const layers = cfg.int("num_nextn_predict_layers", 0, 0);
  if (layers === 0 || !inv.layersPath) return undefined;
  const h = inv.dims.hiddenSize;
  const last = `${inv.layersPath}.${inv.dims.numHiddenLayers - 1}.`;
  let block = 0;
  for (const m of inv.modules) if (m.name.startsWith(last)) for (const p of m.params) block += numel(p.shape);
  const unique = layers * (block + 2 * h + 2 * h * h + h);
  const copies = layers * 2 * inv.dims.vocabSize * h;
  return { layers, unique, copies };
}

export function mtpNote(m: MtpCount): string {
  const g = (n: number) => n.toLocaleString("en-US");
  return `multi-token prediction: the checkpoint also holds ${m.layers} MTP module${m.layers > 1 ? "s" : ""} (num_nextn_predict_layers) that transformers does not build: ${g(m.unique)} parameters, plus ${g(m.copies)} in its copies of the embedding and output head; not in the counts above`;
}
