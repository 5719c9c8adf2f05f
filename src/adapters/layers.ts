/**
 * Where AdapterHub puts its per-layer modules, read from the model's anatomy (src/model/anatomy.ts), never
 * from model names: the layers in the order AdapterHub's `iter_layers()` yields them (encoder stack first,
 * then decoder; `layer_idx` counts on across stacks, which is what `leave_out` and ReFT's `layers` index:
 * adapters src/adapters/models/t5/mixin_t5.py and bart/mixin_bart.py `iter_layers`), and the width of any
 * module of a layer.
 */
import { InputError } from "../errors.js";
import { layerPath, type Anatomy, type AttentionAnatomy, type LayerAnatomy, type StackAnatomy } from "../model/anatomy.js";
import type { Inventory, LinearModule, ParamModule } from "../model/types.js";

/** One transformer layer as AdapterHub indexes it. */
export interface AdapterLayer {
  /** AdapterHub's `layer_idx`: position in `iter_layers()` over all stacks */
  readonly index: number;
  readonly stack: StackAnatomy;
  /** index inside its stack */
  readonly local: number;
  readonly layer: LayerAnatomy;
  /** the encoder stack of an encoder-decoder model (its self-attention is AdapterHub's "encoder" location) */
  readonly encoderOfEncDec: boolean;
}

/** An attention block of a layer, with AdapterHub's location name for it. */
export interface AdapterAttention {
  readonly kind: "self" | "cross";
  readonly attention: AttentionAnatomy;
}

export { anatomyOf } from "../model/anatomy-paths.js";

/**
 * `encoderDecoderConfig`: the config is an encoder-decoder one (`is_encoder_decoder`), so an encoder stack is
 * the "encoder" location even when only the encoder is built (T5ForTokenClassification: AdapterHub's T5 blocks
 * call every non-decoder self-attention "encoder").
 */
export function adapterLayers(anatomy: Anatomy, encoderDecoderConfig = false): AdapterLayer[] {
  const encDec = encoderDecoderConfig || (anatomy.stacks.some((s) => s.role === "encoder") && anatomy.stacks.some((s) => s.role === "decoder"));
  const out: AdapterLayer[] = [];
  for (const stack of anatomy.stacks)
    stack.layers.forEach((layer, local) => out.push({ index: out.length, stack, local, layer, encoderOfEncDec: encDec && stack.role === "encoder" }));
  return out;
}

/** The layer's attention blocks, self first (the order AdapterHub's layers register them). */
export function attentionsOf(layer: LayerAnatomy): AdapterAttention[] {
  const out: AdapterAttention[] = [];
  if (layer.selfAttention) out.push({ kind: "self", attention: layer.selfAttention });
  if (layer.crossAttention) out.push({ kind: "cross", attention: layer.crossAttention });
  return out;
}

const INDEX = new WeakMap<Inventory, Map<string, { module: ParamModule; order: number }>>();

function indexOf(inv: Inventory): Map<string, { module: ParamModule; order: number }> {
  let map = INDEX.get(inv);
  if (!map) {
    map = new Map();
    inv.modules.forEach((module, order) => map!.set(module.name, { module, order }));
    INDEX.set(inv, map);
  }
  return map;
}

/** A Linear / Conv1D module of layer `l` at the layer-relative path `relative`, with its place in module order. */
export function linearOf(inv: Inventory, l: AdapterLayer, relative: string): { module: LinearModule; order: number } {
  const path = layerPath(l.stack, l.local, relative);
  const hit = indexOf(inv).get(path);
  if (!hit) throw new InputError("ANATOMY_MISMATCH", `the anatomy names ${path}, which the model does not have`, "report this: the family's anatomy and module list disagree");
  const m = hit.module;
  if (m.kind !== "linear" && m.kind !== "conv1d")
    throw new InputError("UNSUPPORTED_TARGET", `${path} (${m.className}) is not a Linear or Conv1D layer`, "report this: AdapterHub wraps only linear projections");
  return { module: m, order: hit.order };
}

/** `path` with layer indices replaced by `*` (part names). */
export function pattern(path: string): string {
  return path.replace(/\.\d+(?=\.|$)/g, ".*");
}
