/**
 * The tensors PEFT writes to `adapter_model.safetensors`, with their saved key names and shapes, rebuilt from
 * a counted row (its parts) and the model inventory. PEFT's rules (peft utils/save_and_load.py
 * `get_peft_model_state_dict`, tuners_utils.py `_get_adapter_state_dict`):
 * - a tuner layer's tensors under `base_model.model.<module>.<param>`, the adapter name removed (`lora_A.default.weight`
 *   → `lora_A.weight`); LoRA's `lora_A` / `lora_B` are Linear layers (`.weight`), DoRA's magnitude drops `.weight`
 *   (lora/model.py `_get_adapter_state_dict`), ParameterDict tensors (`hada_w1_a`, `vera_lambda_b`, ...) have no suffix;
 * - biases with `bias="all"` (every `*.bias` of the model) or `"<x>_only"`;
 * - `modules_to_save` copies under the module's own name (`base_model.model.lm_head.weight`, ModulesToSaveWrapper
 *   `adapter_state_dict`);
 * - trainable tokens: `<embedding>.token_adapter.trainable_tokens_delta` (a tied layer saves nothing);
 * - embedding layers in target_modules (save_embedding_layers="auto"): the wrapped embedding's whole base layer;
 * - frozen projections, bases and index buffers some methods save (frozen-tensors.ts);
 * - prompt learning: one `prompt_embeddings` tensor, the prompt encoder's output (peft_model.py
 *   `get_prompt_embedding_to_save`).
 * A tensor whose shape has no rule here is written 1-D (same bytes; the header may differ by a few characters):
 * `exactShape: false`.
 */
import type { EvalContext } from "../../formulas/types.js";
import type { Inventory } from "../model/types.js";
import { groupName } from "../model/types.js";
import { withFrozenTensors } from "./frozen-tensors.js";
import type { TensorEntry, TensorTag } from "./safetensors-header.js";
import { adapterTensor, inOf } from "./tensor-shapes.js";

/**
 * The dtype a saved tensor has, by what decides it: "adapter" = the adapter's dtype (fp32 when PEFT autocasts a
 * fp16 / bf16 model, `autocast_adapter_dtype=True`, else the model's); "base" = the base model's load dtype
 * (modules_to_save copies, biases, a targeted embedding's base layer, FRoD's bases); or a fixed dtype (prompt
 * encoders are built in fp32; integer index buffers).
 */
export type Storage = "adapter" | "base" | TensorTag;

export interface SavedTensor extends TensorEntry {
  readonly kind: "adapter" | "copy" | "bias" | "delta" | "prompt" | "shared" | "embedding";
  /** what decides the tensor's dtype (default "adapter") */
  readonly storage?: Storage;
  /** false when the shape (not the element count) is a guess */
  readonly exactShape: boolean;
  /** false when the module names are a guess (a part covers fewer modules than its pattern names) */
  readonly exactName: boolean;
}

export interface RowLike {
  readonly parts: readonly { readonly name: string; readonly modules: number; readonly count: number; readonly kind?: string | undefined }[];
  readonly options: Readonly<Record<string, unknown>>;
}

export interface SizeContext {
  readonly inv: Inventory;
  readonly peftType: string | null;
  /** prefix tuning / cartridge: the trainable count without the projection MLP (the saved embedding's size) */
  readonly countWithoutProjection?: () => number;
  /** the releases counted for (TinyLoRA's wrapped layers are found again with the engine) */
  readonly versions?: EvalContext;
}

const PREFIX = "base_model.model.";
const EMBEDDING_LAYER_NAMES = ["embed_tokens", "lm_head"];
const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const PROMPT_TYPES = new Set(["PROMPT_TUNING", "P_TUNING", "MULTITASK_PROMPT_TUNING", "PREFIX_TUNING", "CARTRIDGE", "CPT"]);

/** Every module / container path by its group name (`model.layers.*.mlp` → its paths), in model order. */
function pathsByGroup(inv: Inventory): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const m of inv.modules)
    for (let i = m.name.indexOf("."); ; i = m.name.indexOf(".", i + 1)) {
      const p = i === -1 ? m.name : m.name.slice(0, i);
      if (!seen.has(p)) {
        seen.add(p);
        const g = groupName(p);
        const list = out.get(g);
        if (list) list.push(p);
        else out.set(g, [p]);
      }
      if (i === -1) break;
    }
  return out;
}

function tokenDim(inv: Inventory, options: Readonly<Record<string, unknown>>): number {
  const t = options["token_dim"];
  return typeof t === "number" && t > 0 ? t : inv.dims.hiddenSize;
}

function promptTensors(ctx: SizeContext, row: RowLike): SavedTensor[] {
  const n = Number(row.options["num_virtual_tokens"] ?? 0);
  const subs = ctx.inv.task === "SEQ_2_SEQ_LM" ? 2 : 1;
  let shape: number[];
  let exact = true;
  if (ctx.peftType === "PREFIX_TUNING" || ctx.peftType === "CARTRIDGE") {
    const count = ctx.countWithoutProjection?.() ?? row.parts.reduce((s, p) => s + p.count, 0);
    // Cartridge's first num_frozen_tokens rows are saved too but do not train (cartridge/model.py)
    const frozen = ctx.peftType === "CARTRIDGE" ? Number(row.options["num_frozen_tokens"] ?? 1) : 0;
    const rows = count % ((n - frozen) * subs) === 0 && n > frozen ? (n - frozen) * subs : n;
    shape = n > 0 ? [n * (rows === n ? 1 : subs), count / rows] : [0];
  } else if (ctx.peftType === "MULTITASK_PROMPT_TUNING") {
    // the shared prompt and the per-task low-rank factors (multitask_prompt_tuning/model.py)
    const [dim, tasks, ranks] = [tokenDim(ctx.inv, row.options), Number(row.options["num_tasks"] ?? 1), Number(row.options["num_ranks"] ?? 1)];
    const f = (name: string, s: number[]): SavedTensor => ({ name, shape: s, kind: "prompt", exactShape: true, exactName: true, storage: "F32" });
    const out = [f("prompt_embeddings", [n * subs, dim]), f("prefix_task_cols", [tasks, n * subs, ranks]), f("prefix_task_rows", [tasks, ranks, dim])];
    const total = row.parts.reduce((s, p) => s + p.count, 0);
    return out.reduce((s, t) => s + numel(t.shape), 0) === total ? out : [{ name: "prompt_embeddings", shape: [total], kind: "prompt", exactShape: false, exactName: true, storage: "F32" }];
  } else if (ctx.peftType === "P_TUNING") {
    // the prompt encoder's output is saved, not the encoder (peft_model.py `get_prompt_embedding_to_save`)
    shape = [n * subs, tokenDim(ctx.inv, row.options)];
  } else {
    const dim = tokenDim(ctx.inv, row.options);
    const total = row.parts.filter((p) => p.kind === "prompt").reduce((s, p) => s + p.count, 0);
    exact = total === n * subs * dim;
    shape = exact ? [n * subs, dim] : [total];
  }
  return [{ name: "prompt_embeddings", shape, kind: "prompt", exactShape: exact, exactName: true, storage: "F32" }];
}

/** The tensors of a row's adapter file. */
export function savedTensors(ctx: SizeContext, row: RowLike): SavedTensor[] {
  const { inv } = ctx;
  if (ctx.peftType !== null && PROMPT_TYPES.has(ctx.peftType)) return promptTensors(ctx, row);
  const groups = pathsByGroup(inv);
  const byName = new Map(inv.modules.map((m) => [m.name, m] as const));
  const out: SavedTensor[] = [];
  const wrapped = new Set<string>();
  // modules a tuner layer wraps: their own bias is saved from the wrapped base layer (`c_attn.base_layer.bias`)
  const adapted = new Set<string>();
  for (const part of row.parts)
    if (part.kind === "adapter") for (const path of groups.get(part.name.slice(0, part.name.lastIndexOf("."))) ?? []) adapted.add(path);
  const partTensors = (part: RowLike["parts"][number]): SavedTensor[] => {
    const out: SavedTensor[] = [];
    if (part.kind === "copy" && part.name.endsWith(".ln_tuning_layers")) {
      // LN tuning: a trainable copy of each norm, saved under `<norm>.ln_tuning_layers.<param>` (ln_tuning/layer.py)
      const norm = part.name.slice(0, -".ln_tuning_layers".length);
      return (groups.get(norm) ?? []).flatMap((path) => (byName.get(path)?.params ?? []).map((p): SavedTensor => ({ name: `${PREFIX}${path}.ln_tuning_layers.${p.name}`, shape: p.shape, kind: "copy", exactShape: true, exactName: true, storage: "base" })));
    }
    if (part.kind === "copy") {
      const group = part.name.replace(/ \(modules_to_save copy\)$/, "");
      for (const path of groups.get(group) ?? []) {
        for (const m of inv.modules)
          if (m.name === path || m.name.startsWith(`${path}.`))
            for (const p of m.params) out.push({ name: `${PREFIX}${m.name}.${p.name}`, shape: p.shape, kind: "copy", exactShape: true, exactName: true, storage: "base" });
      }
      return out;
    }
    // the module is the longest known prefix: `...q_proj.psoft_R.weight` is q_proj's `psoft_R.weight`
    let dot = part.name.lastIndexOf(".");
    while (dot > 0 && part.kind !== "shared" && part.kind !== "delta" && !groups.has(part.name.slice(0, dot))) dot = part.name.lastIndexOf(".", dot - 1);
    if (dot <= 0) dot = part.name.lastIndexOf(".");
    const group = part.name.slice(0, dot);
    const param = part.name.slice(dot + 1);
    const paths = groups.get(group) ?? [];
    const exactName = paths.length === part.modules;
    const chosen = paths.slice(0, part.modules);
    if (part.kind === "shared") return [{ name: `base_model.${part.name}`, shape: [part.count], kind: "shared", exactShape: false, exactName: true }];
    if (part.kind === "delta") {
      const m = byName.get(group);
      const dim = m?.kind === "embedding" ? m.embeddingDim : inOf(m);
      const shape = dim && part.count % dim === 0 ? [part.count / dim, dim] : [part.count];
      return [{ name: `${PREFIX}${group}.token_adapter.${param}`, shape, kind: "delta", exactShape: shape.length === 2, exactName: true }];
    }
    const per = part.count / Math.max(1, part.modules);
    for (const path of chosen) {
      const m = byName.get(path);
      if (part.kind === "bias") {
        const p = m?.params.find((q) => q.name === param);
        out.push({ name: `${PREFIX}${path}.${adapted.has(path) ? "base_layer." : ""}${param}`, shape: p?.shape ?? [per], kind: "bias", exactShape: p !== undefined, exactName, storage: "base" });
        continue;
      }
      wrapped.add(path);
      const t = Number.isInteger(per) ? adapterTensor(param, m, per, ctx.peftType, row.options) : undefined;
      out.push({ name: `${PREFIX}${path}.${t?.key ?? param}`, shape: t?.shape ?? [per], kind: "adapter", exactShape: t !== undefined, exactName });
    }
    return out;
  };
  for (const part of row.parts) {
    if (part.count === 0) continue;
    // AdaLoRA's ranknum (trainable since peft 0.21) is not in the saved state dict (oracle: 3 tensors per module)
    if (ctx.peftType === "ADALORA" && part.name.endsWith(".ranknum")) continue;
    const mine = partTensors(part);
    if (mine.reduce((s, t) => s + numel(t.shape), 0) === part.count) out.push(...mine);
    else {
      // a part this file has no rule for (base weights trained in place, a method's own copies): its elements
      // are saved all the same; one tensor per module (or one in all), the header estimated
      const per = part.count / part.modules;
      const n = Number.isInteger(per) ? part.modules : 1;
      for (let i = 0; i < n; i++)
        out.push({ name: `${PREFIX}${part.name.replace(/\*/g, "0")}${n > 1 ? `.${i}` : ""}`, shape: [n > 1 ? per : part.count], kind: "adapter", exactShape: false, exactName: false });
    }
  }
  out.push(...embeddingLayers(ctx, row, wrapped));
  return withFrozenTensors(ctx, row, out);
}

/** save_embedding_layers="auto": a targeted embedding layer (by name) is saved whole, unless trainable tokens are used. */
function embeddingLayers(ctx: SizeContext, row: RowLike, wrapped: ReadonlySet<string>): SavedTensor[] {
  const t = row.options["target_modules"];
  const tokens = row.options["trainable_token_indices"];
  if (tokens !== null && tokens !== undefined) return [];
  const named = Array.isArray(t) ? EMBEDDING_LAYER_NAMES.some((e) => t.includes(e)) : typeof t === "string" && t !== "all-linear" && [...wrapped].some((w) => EMBEDDING_LAYER_NAMES.some((e) => w === e || w.endsWith(`.${e}`)));
  if (!named) return [];
  const out: SavedTensor[] = [];
  for (const name of new Set([ctx.inv.inputEmbeddings, ctx.inv.outputEmbeddings])) {
    if (!name || !wrapped.has(name)) continue;
    const m = ctx.inv.modules.find((x) => x.name === name);
    for (const p of m?.params ?? []) out.push({ name: `${PREFIX}${name}.base_layer.${p.name}`, shape: p.shape, kind: "embedding", exactShape: true, exactName: true, storage: "base" });
  }
  return out;
}
