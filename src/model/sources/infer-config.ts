/**
 * A config.json inferred from a checkpoint's tensor names and shapes, for a checkpoint saved without one, for
 * the decoder layouts whose names say what they are (transformers' Llama / Qwen2 / Qwen3 modules):
 * `model.embed_tokens.weight` [vocab, hidden], `model.layers.N.self_attn.{q,k,v,o}_proj.weight`,
 * `mlp.{gate,up,down}_proj.weight`; q_proj biases mean Qwen2, q_norm means Qwen3; no `lm_head.weight` means tied.
 * The head split is not in the shapes: head_dim is taken as q_norm's width, else 128 (else 64) when it divides
 * both q and k widths; every module shape, so every count of a Linear-based method, is the same for any split.
 * Anything else returns undefined (the caller asks for config.json).
 */
import type { TensorEntry } from "./safetensors.js";

export function inferConfig(tensors: readonly TensorEntry[]): { config: Record<string, unknown>; assumed: string } | undefined {
  const by = new Map(tensors.map((t) => [t.name, t.shape]));
  const embed = by.get("model.embed_tokens.weight");
  const q = by.get("model.layers.0.self_attn.q_proj.weight");
  const k = by.get("model.layers.0.self_attn.k_proj.weight");
  const gate = by.get("model.layers.0.mlp.gate_proj.weight");
  if (!embed || !q || !k || !gate || embed.length !== 2 || q.length !== 2 || k.length !== 2 || gate.length !== 2) return undefined;
  const layers = 1 + Math.max(...tensors.map((t) => Number(/^model\.layers\.(\d+)\./.exec(t.name)?.[1] ?? -1)));
  const qNorm = by.get("model.layers.0.self_attn.q_norm.weight");
  const qwen3 = qNorm !== undefined;
  const qwen2 = !qwen3 && by.has("model.layers.0.self_attn.q_proj.bias");
  const known = /^(model\.(embed_tokens|norm)|lm_head|model\.layers\.\d+\.(input_layernorm|post_attention_layernorm|self_attn\.(q|k|v|o)_proj|self_attn\.(q|k)_norm|mlp\.(gate|up|down)_proj))\.(weight|bias)$/;
  if (tensors.some((t) => !known.test(t.name))) return undefined;
  const [qOut, kOut] = [q[0]!, k[0]!];
  const headDim = qNorm?.[0] ?? [128, 64].find((d) => qOut % d === 0 && kOut % d === 0);
  if (headDim === undefined) return undefined;
  const modelType = qwen3 ? "qwen3" : qwen2 ? "qwen2" : "llama";
  const cls = { llama: "LlamaForCausalLM", qwen2: "Qwen2ForCausalLM", qwen3: "Qwen3ForCausalLM" }[modelType];
  return {
    config: {
      architectures: [cls],
      model_type: modelType,
      hidden_size: embed[1],
      vocab_size: embed[0],
      intermediate_size: gate[0],
      num_hidden_layers: layers,
      num_attention_heads: qOut / headDim,
      num_key_value_heads: kOut / headDim,
      head_dim: headDim,
      tie_word_embeddings: !by.has("lm_head.weight"),
      ...(modelType === "llama" ? { attention_bias: by.has("model.layers.0.self_attn.q_proj.bias"), mlp_bias: false } : {}),
    },
    assumed: `model_type ${modelType} from the tensor names, head_dim ${headDim}${qNorm ? " (q_norm's width)" : " (assumed: the shapes do not give the head split)"}`,
  };
}
