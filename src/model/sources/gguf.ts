/**
 * GGUF headers → the Hugging Face config.json fields peftcount builds from, and llama.cpp tensor names →
 * transformers' names (for `verify`). Pure: the header is parsed by @huggingface/gguf in the CLI.
 * Keys: llama.cpp `gguf-py/gguf/constants.py` (Keys.LLM / Keys.Attention: `<arch>.block_count`,
 * `.embedding_length`, `.feed_forward_length`, `.attention.head_count(_kv)`, `.attention.key_length`,
 * `.context_length`, `.rope.freq_base`, `.attention.layer_norm_rms_epsilon`); tensor names:
 * `gguf-py/gguf/tensor_mapping.py`. GGUF dims are ggml's ne order (innermost first): reversed for torch.
 * The vocabulary is the token embedding's row count; no `output.weight` means tied embeddings.
 */
import { InputError } from "../../errors.js";

export interface GgufTensor {
  readonly name: string;
  /** ggml order, as in the file */
  readonly ne: readonly number[];
  readonly type: string;
}

/** GGUF architecture → transformers model_type and class (llama.cpp writes Mistral 7B as "llama"). */
const ARCH: Readonly<Record<string, { modelType: string; cls: string; extra?: Record<string, unknown> }>> = {
  llama: { modelType: "llama", cls: "LlamaForCausalLM", extra: { attention_bias: false, mlp_bias: false } },
  mistral: { modelType: "mistral", cls: "MistralForCausalLM" },
  qwen2: { modelType: "qwen2", cls: "Qwen2ForCausalLM" },
  qwen3: { modelType: "qwen3", cls: "Qwen3ForCausalLM", extra: { attention_bias: false } },
  gemma: { modelType: "gemma", cls: "GemmaForCausalLM" },
  gemma2: { modelType: "gemma2", cls: "Gemma2ForCausalLM" },
  gemma3: { modelType: "gemma3_text", cls: "Gemma3ForCausalLM" },
  phi3: { modelType: "phi3", cls: "Phi3ForCausalLM" },
};
export const GGUF_ARCHITECTURES = Object.keys(ARCH);

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "bigint" && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined);

/** The config.json transformers would load for the model a GGUF file holds. */
export function ggufToConfig(metadata: Readonly<Record<string, unknown>>, tensors: readonly GgufTensor[], label: string): Record<string, unknown> {
  const arch = metadata["general.architecture"];
  if (typeof arch !== "string") throw new InputError("INVALID_GGUF", `${label} has no general.architecture`, "");
  const spec = ARCH[arch];
  if (!spec) throw new InputError("UNSUPPORTED_GGUF_ARCH", `${label}: GGUF architecture "${arch}" is not mapped to a transformers config`, `peftcount maps ${GGUF_ARCHITECTURES.join(", ")}; pass the model's config.json instead`);
  const need = (key: string) => {
    const v = num(metadata[`${arch}.${key}`]);
    if (v === undefined) throw new InputError("INVALID_GGUF", `${label}: ${arch}.${key} is missing from the GGUF metadata`, "");
    return v;
  };
  const embd = tensors.find((t) => t.name === "token_embd.weight");
  if (!embd || embd.ne.length !== 2) throw new InputError("INVALID_GGUF", `${label} has no token_embd.weight tensor`, "");
  const hidden = need("embedding_length");
  const heads = need("attention.head_count");
  const headDim = num(metadata[`${arch}.attention.key_length`]);
  const cfg: Record<string, unknown> = {
    architectures: [spec.cls],
    model_type: spec.modelType,
    hidden_size: hidden,
    intermediate_size: need("feed_forward_length"),
    num_hidden_layers: need("block_count"),
    num_attention_heads: heads,
    num_key_value_heads: num(metadata[`${arch}.attention.head_count_kv`]) ?? heads,
    vocab_size: embd.ne[1],
    tie_word_embeddings: !tensors.some((t) => t.name === "output.weight"),
    ...(headDim !== undefined ? { head_dim: headDim } : {}),
    ...(num(metadata[`${arch}.context_length`]) !== undefined ? { max_position_embeddings: num(metadata[`${arch}.context_length`]) } : {}),
    ...(typeof metadata[`${arch}.rope.freq_base`] === "number" ? { rope_theta: metadata[`${arch}.rope.freq_base`] } : {}),
    ...(typeof metadata[`${arch}.attention.layer_norm_rms_epsilon`] === "number" ? { rms_norm_eps: metadata[`${arch}.attention.layer_norm_rms_epsilon`] } : {}),
    ...spec.extra,
  };
  if (arch === "llama" && tensors.some((t) => t.name === "blk.0.attn_q.bias")) cfg["attention_bias"] = true;
  return cfg;
}

const GEMMA2_NORMS: Readonly<Record<string, string>> = { attn_post_norm: "post_attention_layernorm", ffn_norm: "pre_feedforward_layernorm", ffn_post_norm: "post_feedforward_layernorm" };
const BLOCK: Readonly<Record<string, string>> = {
  attn_norm: "input_layernorm",
  ffn_norm: "post_attention_layernorm",
  attn_q: "self_attn.q_proj",
  attn_k: "self_attn.k_proj",
  attn_v: "self_attn.v_proj",
  attn_qkv: "self_attn.qkv_proj",
  attn_output: "self_attn.o_proj",
  attn_q_norm: "self_attn.q_norm",
  attn_k_norm: "self_attn.k_norm",
  ffn_gate: "mlp.gate_proj",
  ffn_up: "mlp.up_proj",
  ffn_down: "mlp.down_proj",
};

/** transformers' name and torch shape of each tensor; names llama.cpp adds (rope_freqs) stay unmapped. */
export function ggufTensorsToHf(arch: string, tensors: readonly GgufTensor[]): { mapped: { name: string; dtype: string; shape: number[] }[]; unmapped: string[] } {
  const mapped: { name: string; dtype: string; shape: number[] }[] = [];
  const unmapped: string[] = [];
  const top: Readonly<Record<string, string>> = { token_embd: "model.embed_tokens", output_norm: "model.norm", output: "lm_head" };
  for (const t of tensors) {
    const shape = [...t.ne].reverse();
    const m = /^(?:blk\.(\d+)\.)?([a-z_]+)\.(weight|bias)$/.exec(t.name);
    let module: string | undefined;
    if (m && m[1] === undefined) module = top[m[2]!];
    else if (m) {
      let part = (arch === "gemma2" || arch === "gemma3" ? GEMMA2_NORMS[m[2]!] : undefined) ?? BLOCK[m[2]!];
      if (arch === "phi3" && m[2] === "ffn_up") part = "mlp.gate_up_proj";
      module = part ? `model.layers.${m[1]}.${part}` : undefined;
    }
    if (module) mapped.push({ name: `${module}.${m![3]}`, dtype: t.type, shape });
    else unmapped.push(t.name);
  }
  return { mapped, unmapped };
}
