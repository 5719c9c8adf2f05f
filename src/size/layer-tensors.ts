/**
 * Methods whose saved tensors are laid out per wrapped layer differently from their trainable parts, rebuilt from
 * the wrapped layers (found again with the engine's own targeting). Rules from peft 0.21.0, checked against files
 * it writes (tests/size/frozen-tensors.test.ts):
 * - GLoRA (glora/layer.py `update_layer`): each path is a module; "lora" saves `Xd` [out, r] and `Xu` [r, in]
 *   (C: [in, r], [r, 1]), "vector" `X` [out, 1] (C [in, 1]; D / E [out]), "constant" `X` [1]; a path without
 *   parameters (config "none", or C / D / E on a layer without bias) saves a `zeros` buffer [out, in] (A, B),
 *   [in, 1] (C) or [out] (D, E) in the base model's dtype;
 * - LiLy (lily/layer.py, model.py): A and B are shared across layers but every wrapped layer's state dict holds
 *   them, so each saves `lily_A.weight` [r, in], `lily_B.weight` [num_B·r, out] and `lily_router.weight` [num_B, r];
 * - SHADOW (shadow/model.py, layer.py): per wrapped block `shadow_down.default.weight` [r, d], `shadow_up.default.weight`
 *   [d, r] and the update MLPs `shadow_update_{gate,transform}.default.{0,2}.{weight,bias}` ([u, d], [u], [d, u], [d]),
 *   all fp32; the backbone under `base_model.shadow_backbone.default.<path>` in the load dtype.
 */
import type { EvalContext } from "../../formulas/types.js";
import { GLORA_TARGETS, LILY_TARGETS } from "../peft/default-targets.js";
import { wrapModules } from "../peft/tuner.js";
import { moduleTree } from "../peft/modules.js";
import { mirrorBackbone, shadowAnatomy, type MirrorOverrides } from "../peft/shadow-backbone.js";
import type { Inventory, ModuleKind, ParamModule } from "../model/types.js";
import type { RowLike, SavedTensor } from "./saved-tensors.js";
import { inOf, outOf } from "./tensor-shapes.js";

const PREFIX = "base_model.model.";
const num = (o: Readonly<Record<string, unknown>>, k: string, d: number) => (typeof o[k] === "number" ? (o[k] as number) : d);

/** The layers a tuner wraps, in model order (the engine's targeting, one call per module). */
export function engineWrapped(inv: Inventory, row: RowLike, versions: EvalContext | undefined, method: string, defaults: Parameters<typeof wrapModules>[2]["defaults"], wrappable: readonly ModuleKind[]): ParamModule[] {
  const wrapped: ParamModule[] = [];
  // reading the name makes the engine call this for every module (not once per class of equal modules)
  const modules = new Map(inv.modules.map((m) => [m.name, m] as const));
  const probe = { ...row.options } as unknown as Parameters<typeof wrapModules>[1];
  wrapModules(inv, probe, { method, defaults, wrappable: [...wrappable], perModule: (m) => void wrapped.push(modules.get(m.name)!) }, versions ?? { peft: [0, 21, 0], transformers: [5, 18, 0] });
  return wrapped;
}

const tensor = (name: string, shape: number[], storage?: SavedTensor["storage"]): SavedTensor => ({ name, shape, kind: storage ? "shared" : "adapter", exactShape: true, exactName: true, ...(storage ? { storage } : {}) });

function gloraPath(at: string, kind: unknown, rows: number, cols: number, r: number, column: boolean, zeros: number[]): SavedTensor[] {
  if (kind === "lora") return [tensor(`${at}.Xd`, [rows, r]), tensor(`${at}.Xu`, [r, cols])];
  if (kind === "vector") return [tensor(`${at}.X`, column ? [rows, 1] : [rows])];
  if (kind === "constant") return [tensor(`${at}.X`, [1])];
  return [tensor(`${at}.zeros`, zeros, "base")];
}

function glora(inv: Inventory, row: RowLike, versions: EvalContext | undefined): SavedTensor[] {
  const o = row.options;
  const r = num(o, "r", 4);
  return engineWrapped(inv, row, versions, "glora", GLORA_TARGETS, ["linear"]).flatMap((m) => {
    const [i, out] = [inOf(m) ?? 0, outOf(m) ?? 0];
    const bias = m.params.some((p) => p.name === "bias");
    const at = `${PREFIX}${m.name}`;
    const ab = (p: string) => gloraPath(`${at}.${p}`, o["config_A_B"], out, i, r, true, [out, i]);
    const c = bias ? gloraPath(`${at}.glora_C`, o["config_C"], i, 1, r, true, [i, 1]) : gloraPath(`${at}.glora_C`, "none", 0, 0, r, true, [i, 1]);
    const de = (p: string) => gloraPath(`${at}.${p}`, bias && o["config_D_E"] !== "lora" ? o["config_D_E"] : "none", out, 0, r, false, [out]);
    return [...ab("glora_A"), ...ab("glora_B"), ...c, ...de("glora_D"), ...de("glora_E")];
  });
}

function lily(inv: Inventory, row: RowLike, versions: EvalContext | undefined): SavedTensor[] {
  const [r, b] = [num(row.options, "r", 32), num(row.options, "num_B", 2)];
  return engineWrapped(inv, row, versions, "lily", LILY_TARGETS, ["linear"]).flatMap((m) => {
    const at = `${PREFIX}${m.name}`;
    return [tensor(`${at}.lily_A.weight`, [r, inOf(m) ?? 0]), tensor(`${at}.lily_B.weight`, [b * r, outOf(m) ?? 0]), tensor(`${at}.lily_router.weight`, [b, r])];
  });
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function shadow(inv: Inventory, row: RowLike, tensors: readonly SavedTensor[], versions: EvalContext | undefined): SavedTensor[] {
  const d = inv.dims.hiddenSize;
  const f32 = (name: string, shape: number[]): SavedTensor => ({ ...tensor(name, shape), storage: "F32" });
  const out: SavedTensor[] = [];
  for (const t of tensors) {
    const m = /^(.*)\.(shadow_down|shadow_up|shadow_update_gate|shadow_update_transform)$/.exec(t.name);
    const n = numel(t.shape);
    if (t.name === "base_model.shadow_backbone") out.push(...backbone(inv, row, t, versions));
    else if (!m || !t.exactName) out.push({ ...t, storage: t.name.startsWith("base_model.shadow_") ? "base" : "F32" });
    else if (m[2] === "shadow_down") out.push(f32(`${m[1]}.shadow_down.default.weight`, [n / d, d]));
    else if (m[2] === "shadow_up") out.push(f32(`${m[1]}.shadow_up.default.weight`, [d, n / d]));
    else {
      const u = (n - d) / (2 * d + 1);
      const at = `${m[1]}.${m[2]}.default`;
      out.push(f32(`${at}.0.weight`, [u, d]), f32(`${at}.0.bias`, [u]), f32(`${at}.2.weight`, [d, u]), f32(`${at}.2.bias`, [d]));
    }
  }
  return out;
}

/** SHADOW's backbone: the mirror's modules (the shared input embedding left out), or the part as one tensor. */
function backbone(inv: Inventory, row: RowLike, part: SavedTensor, versions: EvalContext | undefined): SavedTensor[] {
  const fallback = [{ ...part, storage: "base" as const }];
  try {
    const { backbone: root } = shadowAnatomy(inv, moduleTree(inv.modules));
    const mirror = mirrorBackbone(inv, root, row.options as unknown as MirrorOverrides, versions ?? { peft: [0, 21, 0], transformers: [5, 18, 0] });
    const prefix = root === "" ? "" : `${root}.`;
    const shared = row.options["share_embeddings"] !== false && mirror.hiddenSize === inv.dims.hiddenSize;
    const saved = mirror.modules
      .filter((m) => !(shared && m.name === `${prefix}embed_tokens`))
      .flatMap((m) => m.params.filter((p) => p.tiedTo === undefined).map((p): SavedTensor => ({ ...tensor(`base_model.shadow_backbone.default.${m.name.slice(prefix.length)}.${p.name}`, [...p.shape]), storage: "base" })));
    return saved.reduce((s, t) => s + numel(t.shape), 0) === numel(part.shape) ? saved : fallback;
  } catch {
    return fallback;
  }
}

/** The saved per-layer tensors of GLoRA / LiLy / SHADOW in place of their trainable parts' tensors, else undefined. */
export function layerTensors(peftType: string | null, inv: Inventory, row: RowLike, tensors: readonly SavedTensor[], versions: EvalContext | undefined): SavedTensor[] | undefined {
  if (peftType === "SHADOW") return shadow(inv, row, tensors, versions);
  const own = peftType === "GLORA" ? /\.glora_[A-E]$/ : peftType === "LILY" ? /\.lily_(A|B|router)$/ : undefined;
  if (!own) return undefined;
  const rest = tensors.filter((t) => !own.test(t.name));
  return [...rest, ...(peftType === "GLORA" ? glora(inv, row, versions) : lily(inv, row, versions))];
}
