/**
 * ShadowPEFT's model-level parts (peft 0.21 `tuners/shadow/model.py`): where the base model's backbone and
 * decoder blocks are (`_get_backbone`, `_get_decoder_layers`), and the size of the "mirror" shadow backbone,
 * `backbone.__class__(cfg)` with the base config's depth (default 1 layer), width, FFN width and heads
 * overridden (`_build_shadow_backbone`). We build that smaller config with our own inventory and take the
 * leaves under the same backbone path; with shared embeddings the mirror's `embed_tokens` is deleted
 * (`_remove_embed_tokens`: only a module of that name, so GPT-2's `wte` stays).
 */
import { InputError } from "../errors.js";
import { buildInventory } from "../model/inventory.js";
import type { Inventory, ParamModule } from "../model/types.js";
import { numel } from "../model/types.js";
import type { Versions } from "../versions.js";
import type { ModuleTree } from "./modules.js";

const LAYER_LISTS = ["layers", "h", "single_transformer_blocks", "transformer_blocks"];

export interface ShadowAnatomy {
  /** path of the backbone module ("" when the model is the backbone) */
  readonly backbone: string;
  /** decoder block paths PEFT wraps by default, or undefined when PEFT cannot find them */
  readonly blocks: readonly string[] | undefined;
}

const under = (prefix: string, name: string) => prefix === "" || name === prefix || name.startsWith(`${prefix}.`);

/** `_get_backbone` + `_get_decoder_layers`, read from the inventory's layer-stack path. */
export function shadowAnatomy(inv: Inventory, tree: ModuleTree): ShadowAnatomy {
  const stack = inv.layersPath;
  if (stack === undefined) return { backbone: "", blocks: undefined };
  const parts = stack.split(".");
  // the first attribute of the task model holding the stack (model / transformer / the base-model prefix) ...
  let backbone = parts.length > 1 ? parts[0]! : "";
  // ... or its nested `decoder` when that holds the stack (OPT's model.decoder)
  if (parts.length > 2 && parts[1] === "decoder") backbone = `${parts[0]}.decoder`;
  const attr = stack.slice(backbone === "" ? 0 : backbone.length + 1);
  if (!LAYER_LISTS.includes(attr)) return { backbone, blocks: undefined };
  const re = new RegExp(`^${stack.replace(/\./g, "\\.")}\\.\\d+$`);
  return { backbone, blocks: tree.names.filter((n) => re.test(n)) };
}

export interface MirrorOverrides {
  readonly shadow_num_hidden_layers: number | null;
  readonly shadow_hidden_size: number | null;
  readonly shadow_intermediate_size: number | null;
  readonly shadow_num_attention_heads: number | null;
}

/** `_set_config_attr`: the first of PEFT's alias names the config has (else the first name). */
function setFirst(cfg: Record<string, unknown>, names: readonly string[], value: number): void {
  cfg[names.find((n) => n in cfg) ?? names[0]!] = value;
}

/** `_normalize_layer_config`: per-layer lists cut or padded to the new depth. */
function normalizeLayers(cfg: Record<string, unknown>, layers: number): void {
  const types = cfg["layer_types"];
  if (Array.isArray(types)) cfg["layer_types"] = types.length === 0 ? Array(layers).fill("full_attention") : Array.from({ length: layers }, (_, i) => types[Math.min(i, types.length - 1)]);
  const window = cfg["max_window_layers"];
  if (typeof window === "number" && window > layers) cfg["max_window_layers"] = layers;
}

/** The mirror backbone's modules (paths as in the base model) and its hidden size. */
export function mirrorBackbone(inv: Inventory, backbone: string, o: MirrorOverrides, ctx: Versions): { modules: ParamModule[]; hiddenSize: number } {
  const cfg: Record<string, unknown> = { ...(inv.config ?? {}) };
  const layers = o.shadow_num_hidden_layers ?? 1;
  setFirst(cfg, ["num_hidden_layers", "n_layer", "num_layers"], layers);
  if (o.shadow_hidden_size !== null) setFirst(cfg, ["hidden_size", "n_embd", "d_model"], o.shadow_hidden_size);
  if (o.shadow_intermediate_size !== null) setFirst(cfg, ["intermediate_size", "ffn_dim", "n_inner"], o.shadow_intermediate_size);
  if (o.shadow_num_attention_heads !== null) setFirst(cfg, ["num_attention_heads", "n_head", "num_heads"], o.shadow_num_attention_heads);
  normalizeLayers(cfg, layers);
  const mirror = buildInventory(cfg, { task: inv.task, transformers: ctx.transformers });
  const d = mirror.dims;
  const unread =
    d.numHiddenLayers !== layers ||
    (o.shadow_hidden_size !== null && d.hiddenSize !== o.shadow_hidden_size) ||
    (o.shadow_intermediate_size !== null && d.intermediateSize !== o.shadow_intermediate_size) ||
    (o.shadow_num_attention_heads !== null && d.numAttentionHeads !== o.shadow_num_attention_heads);
  if (unread)
    throw new InputError("UNSUPPORTED_OPTION", `shadow: cannot build the mirror backbone of this ${inv.modelType} config with the shadow_* sizes given`, "count ShadowPEFT on a Llama-style decoder, or leave the shadow_* sizes at their defaults");
  return { modules: mirror.modules.filter((m) => under(backbone, m.name)), hiddenSize: d.hiddenSize };
}

/** Parameters of `modules`, each tensor once (a tie to a tensor outside the list counts here). */
export function paramsOf(modules: readonly ParamModule[]): number {
  const own = new Set(modules.flatMap((m) => m.params.map((p) => `${m.name}.${p.name}`)));
  let n = 0;
  for (const m of modules) for (const p of m.params) if (p.tiedTo === undefined || !own.has(p.tiedTo)) n += numel(p.shape);
  return n;
}
