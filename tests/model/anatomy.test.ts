/**
 * Every dense family declares its anatomy (issue 6): for every dense model type × every task it has (in both
 * transformers eras we model) × its presets, the published configs in ../shared/reference/configs, its
 * config defaults and a few configs that flip its switches, the anatomy is consistent with the inventory
 * (tests/model/anatomy-check.ts). inspect's category totals of two real models are pinned.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import type { Anatomy } from "../../src/model/anatomy.js";
import type { RawConfig } from "../../src/model/config.js";
import { tasksOf } from "../../src/model/family.js";
import { buildInventory, familyOf } from "../../src/model/inventory.js";
import { findPreset, MODEL_PRESETS } from "../../src/model/presets/index.js";
import { totalParams, type Inventory } from "../../src/model/types.js";
import { buildInspectReport } from "../../src/report/inspect.js";
import type { Version } from "../../src/versions.js";
import { anatomyProblems, othersOf } from "./anatomy-check.js";

/** The dense model types (the MoE families declare theirs in their own change). */
const DENSE_TYPES = [
  ...["bert", "roberta", "xlm-roberta", "distilbert", "deberta-v2", "t5", "mt5", "bart", "gpt2", "gptj"],
  ...["llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3_text", "vaultgemma", "phi3"],
  ...["gpt_neox", "bloom", "falcon", "RefinedWebModel", "RefinedWeb", "opt", "phi", "olmo2", "smollm3", "mamba2"],
  // declared in their own change (issue 11); checked here the same way
  ...["mamba", "falcon_mamba"],
];

/** Modules that truly are "other" (no attention, FFN, norm, embedding or head): by model type. */
const TRULY_OTHER: Record<string, RegExp> = {
  // DeBERTa-v2's ConvLayer (conv_kernel_size > 0): a convolution branch beside the first layer
  "deberta-v2": /^(deberta\.)?encoder\.conv\.conv$/,
  // Mamba-2's state-space mixer takes attention's place: in_proj, conv1d, out_proj and A_log / D / dt_bias
  mamba2: /\.mixer(\.(conv1d|in_proj|out_proj))?$/,
  mamba: /\.mixer(\.(conv1d|in_proj|x_proj|dt_proj|out_proj))?$/,
  falcon_mamba: /\.mixer(\.(conv1d|in_proj|x_proj|dt_proj|out_proj))?$/,
};

/** Configs that flip a family's switches (besides presets, reference configs and defaults). */
const SWITCHES: Record<string, RawConfig[]> = {
  bert: [
    { model_type: "bert", num_hidden_layers: 2, is_decoder: true, add_cross_attention: true, position_embedding_type: "relative_key" },
    { model_type: "bert", num_hidden_layers: 2, hidden_size: 100, num_attention_heads: 3, embedding_size: 100 },
  ],
  roberta: [{ model_type: "roberta", num_hidden_layers: 2, is_decoder: true, add_cross_attention: true }],
  "deberta-v2": [
    { model_type: "deberta-v2", num_hidden_layers: 2, relative_attention: true, pos_att_type: ["p2c", "c2p"], norm_rel_ebd: "layer_norm", conv_kernel_size: 3, embedding_size: 512, type_vocab_size: 2 },
    { model_type: "deberta-v2", num_hidden_layers: 2, relative_attention: true, pos_att_type: "p2c|c2p", share_att_key: true, position_biased_input: false },
  ],
  t5: [
    { model_type: "t5", num_layers: 2, num_decoder_layers: 3, feed_forward_proj: "gated-gelu", d_kv: 32 },
    { model_type: "t5", num_layers: 2, tie_word_embeddings: false },
  ],
  bart: [{ model_type: "bart", encoder_layers: 2, decoder_layers: 3, encoder_ffn_dim: 512, decoder_ffn_dim: 256, decoder_attention_heads: 8 }],
  gpt2: [{ model_type: "gpt2", n_layer: 2, add_cross_attention: true, n_inner: 1000 }],
  falcon: [
    { model_type: "falcon", num_hidden_layers: 2, hidden_size: 256, num_attention_heads: 8, new_decoder_architecture: true, num_kv_heads: 2, bias: true },
    { model_type: "falcon", num_hidden_layers: 2, hidden_size: 256, num_attention_heads: 8, multi_query: false, parallel_attn: false },
    { model_type: "falcon", num_hidden_layers: 2, hidden_size: 256, num_attention_heads: 8, num_ln_in_parallel_attn: 2 },
  ],
  RefinedWebModel: [{ model_type: "RefinedWebModel", n_layer: 2, hidden_size: 256, n_head: 8, n_head_kv: 2 }],
  opt: [
    { model_type: "opt", num_hidden_layers: 2, word_embed_proj_dim: 512, do_layer_norm_before: false },
    { model_type: "opt", num_hidden_layers: 2, layer_norm_elementwise_affine: false, enable_bias: false },
  ],
  phi: [{ model_type: "phi", num_hidden_layers: 2, qk_layernorm: true, num_key_value_heads: 8 }],
  mamba2: [{ model_type: "mamba2", num_hidden_layers: 2, hidden_size: 256, num_heads: 8, head_dim: 64, n_groups: 1 }],
  qwen3: [{ model_type: "qwen3", num_hidden_layers: 2, num_key_value_heads: 8 }],
  llama: [{ model_type: "llama", num_hidden_layers: 2, num_key_value_heads: 8, attention_bias: true, mlp_bias: true, head_dim: 96 }],
};

const dir = fileURLToPath(new URL("../../../shared/reference/configs/", import.meta.url));
const referenceConfigs: [string, RawConfig][] = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => [f, JSON.parse(readFileSync(dir + f, "utf8")) as RawConfig])
  : [];

const ERAS: readonly Version[] = [
  [4, 43, 3],
  [5, 18, 0],
];

/** Every config of this model type we know, with a label. */
function configsOf(type: string): [string, RawConfig][] {
  const typeOf = (raw: RawConfig): string | undefined => {
    try {
      return buildInventory(raw).modelType;
    } catch {
      return undefined;
    }
  };
  return [
    [`${type} defaults`, { model_type: type }],
    ...MODEL_PRESETS.filter((p) => typeOf(p.config) === type).map((p) => [p.id, p.config] as [string, RawConfig]),
    ...referenceConfigs.filter(([, c]) => typeOf(c) === type),
    ...(SWITCHES[type] ?? []).map((c, i) => [`${type} switches #${i + 1}`, c] as [string, RawConfig]),
  ];
}

/** Inventories of `raw` for every task of its type in both eras (a release that cannot build it is skipped). */
function inventories(type: string, raw: RawConfig): [string, Inventory][] {
  const family = familyOf(type)!;
  const out: [string, Inventory][] = [];
  for (const transformers of ERAS)
    for (const task of tasksOf(family, type, transformers)) {
      try {
        out.push([`${task} @ ${transformers.join(".")}`, buildInventory(raw, { task, transformers })]);
      } catch (e) {
        if (!(e instanceof InputError) || e.code !== "UNSUPPORTED_MODEL_TYPE") throw e;
      }
    }
  return out;
}

describe.each(DENSE_TYPES)("%s declares its anatomy", (type) => {
  const cases = configsOf(type);
  test.each(cases)("%s: every task, both eras", (_label, raw) => {
    const invs = inventories(type, raw);
    expect(invs.length).toBeGreaterThan(0);
    for (const [where, inv] of invs) {
      const allowed = TRULY_OTHER[type];
      const problems = anatomyProblems(inv).filter((p) => !(allowed && / is claimed by nothing$/.test(p) && allowed.test(p.split(" ")[0]!)));
      expect(problems, where).toEqual([]);
      const others = othersOf(inv).filter((n) => !allowed?.test(n));
      expect(others, `${where}: in "other"`).toEqual([]);
      // identical layers share one LayerAnatomy object
      for (const s of inv.anatomy!.stacks) expect(new Set(s.layers).size, `${where} ${s.layersPath}`).toBe(1);
    }
  });
});

describe("the anatomy check finds what is wrong", () => {
  const inv = buildInventory(findPreset("llama-3.2-1b")!.config);
  const a = inv.anatomy!;
  const s = a.stacks[0]!;
  const l = s.layers[0]!;
  const broken = (anatomy: Anatomy) => anatomyProblems({ ...inv, anatomy });
  test("a wrong key/value width, a missing path, a layer too few, a path claimed twice, an unclaimed module", () => {
    expect(broken({ ...a, stacks: [{ ...s, layers: s.layers.map(() => ({ ...l, selfAttention: { ...l.selfAttention!, kvHeads: 32 } })) }] }).join("\n")).toMatch(/self-attention k model\.layers\.0\.self_attn\.k_proj: out features 512, expected 2048/);
    expect(broken({ ...a, embeddings: ["model.embed"] }).join("\n")).toMatch(/embedding model\.embed: no such module/);
    expect(broken({ ...a, stacks: [{ ...s, layers: s.layers.slice(1) }] }).join("\n")).toMatch(/15 layers, config has 16/);
    expect(broken({ ...a, head: ["model.norm"] }).join("\n")).toMatch(/claimed twice: model\.norm: norms and head|claimed twice: model\.norm: head and norms/);
    expect(broken({ ...a, stacks: [{ ...s, layers: s.layers.map(() => ({ ...l, norms: ["input_layernorm"] })) }] }).join("\n")).toMatch(/post_attention_layernorm \(LlamaRMSNorm\) is claimed by nothing/);
  });
  test("layer norms out of registration order", () => {
    expect(broken({ ...a, stacks: [{ ...s, layers: s.layers.map(() => ({ ...l, norms: ["post_attention_layernorm", "input_layernorm"] })) }] }).join("\n")).toMatch(/out of registration order/);
  });
});

describe("inspect's categories come from the anatomy", () => {
  const categories = (id: string) => {
    const inv = buildInventory(findPreset(id)!.config);
    const r = buildInspectReport({ id, source: "preset" }, inv);
    expect(Object.values(r.categories).reduce((a, b) => a + b, 0)).toBe(totalParams(inv.modules));
    return r.categories;
  };

  test("llama-3.2-1b (tied lm_head: head 0)", () => {
    // 16 layers: q 2048·2048, k/v 2048·512, o 2048·2048; gate/up/down 2048·8192; 33 RMSNorms of 2048
    expect(categories("llama-3.2-1b")).toEqual({ embeddings: 262_668_288, attention: 16 * 10_485_760, mlp: 16 * 50_331_648, norms: 33 * 2048, head: 0, other: 0 });
  });

  test("bert-base-uncased, SEQ_CLS with 2 labels (109,483,778 parameters)", () => {
    expect(categories("bert-base-uncased")).toEqual({
      // word 30522·768 + positions 512·768 + token types 2·768
      embeddings: 23_835_648,
      // 12 × 4 × (768·768 + 768)
      attention: 28_348_416,
      // 12 × (768·3072 + 3072 + 3072·768 + 768)
      mlp: 56_669_184,
      // embeddings.LayerNorm + 12 × 2 LayerNorms, 1536 each
      norms: 25 * 1536,
      // pooler.dense 768·768 + 768, classifier 768·2 + 2
      head: 592_130,
      other: 0,
    });
  });
});
