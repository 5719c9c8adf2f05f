/**
 * Where AdapterHub releases count the LoRA-family, prefix, prompt and ReFT configs differently, each rule
 * naming the adapters change. "1.2.0" is what the package reports on its main branch (88f18eb, the 1.2.0
 * vectors): changes merged after the v1.2.0 tag (DoRA, the GQA prefix fix, the merged-layer n) carry the
 * same version string, so they switch at 1.2.0 too. Verified against both eras of AdapterHub vectors
 * (tests/golden/adapters.json: 1.2.0 main; tests/golden/vectors.json: 1.0.0). Prompt tuning on a model
 * without it (refused from 1.2.0, silently empty before) is in ./support.ts.
 */
import { atLeast, type Version } from "../versions.js";

/**
 * VeRA (`vera_d` / `vera_b`, init "vera": 2e34029 #763, in v1.2.0) and DoRA (`use_dora`: eb2f445 #790, main
 * after the tag). Before, LoRAConfig has neither field: `from_dict` keeps them as plain attributes and the
 * LoRA module never reads them, so the config counts as plain LoRA.
 */
export const hasVeraAndDora = (v: Version): boolean => atLeast(v, "1.2.0");

/**
 * `LoRAMergedLinear.get_n_heads` (fused q/k/v, GPT-2 `c_attn`) counts |attn_matrices ∩ {q, k, v}| since
 * 30ddab0 #830; v1.0.0 counted every entry of attn_matrices (an "o" made the merged LoRA a third wider).
 */
export const mergedLoraCountsOnlyQkv = (v: Version): boolean => atLeast(v, "1.2.0");

/**
 * Prefix tuning sizes the prefixes by the key/value heads (`num_key_value_heads`, else
 * `num_attention_heads`) since e10ebf0 #825 (the GQA fix); before, by `num_attention_heads`, which on a
 * GQA model (Llama 3, Mistral) made them kv-group times wider. head_dim is d_kv or hidden // heads in both.
 */
export const prefixUsesKeyValueHeads = (v: Version): boolean => atLeast(v, "1.2.0");

/** MTL-LoRA (`mtl_lora`, MTLLoRAConfig: 0470c18 #792, in v1.2.0); 1.0.0 has no such architecture. */
export const hasMtlLora = (v: Version): boolean => atLeast(v, "1.2.0");
