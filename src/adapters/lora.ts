/**
 * AdapterHub's `LoRAConfig` family counted on the anatomy: LoRA, (IA)^3 (`composition_mode: "scale"`),
 * VeRA (`vera_d` / `vera_b` set) and DoRA (`use_dora`), as adapters src/adapters/methods/lora.py builds them.
 *
 * Where (models/<arch>/mixin_<arch>.py, plugin `init_lora`): in every layer not in `leave_out`,
 * - `selfattn_lora`: the q / k / v projections named in `attn_matrices` of every attention block, cross
 *   attention included (T5 `EncDecAttention`, BART `encoder_attn` are the same attention class); a fused
 *   q/k/v projection (GPT-2 `c_attn`) becomes one `LoRAMergedLinear` for the n = |attn_matrices ∩ {q,k,v}|
 *   enabled thirds; an attention with fused k/v only (GPT-2 cross-attention) is not wrapped;
 * - `intermediate_lora`: the projection into the intermediate width (the up half `wi_1` / `up_proj` of a
 *   gated FFN), `output_lora`: the projection back (Llama and Mistral swap the two: ./interface-facts.ts).
 * Per wrapped module (in → out; merged: rows r·n, out // 3 · n):
 *   LoRA  lora_A r·in + lora_B out·r        (IA)^3  lora_B out (r must be 1)
 *   VeRA  vera_D r² + vera_B out²  (+ the frozen shared lora_A / lora_B of the FIRST wrapped module, once)
 *   + DoRA magnitude m: out       + gate (use_gating): Linear(in, heads) = in·heads + heads, heads = n or 1.
 */
import { PartSum } from "../breakdown.js";
import { InputError } from "../errors.js";
import type { Inventory, LinearModule } from "../model/types.js";
import { ffnKeysSwapped } from "./interface-facts.js";
import { adapterLayers, anatomyOf, attentionsOf, linearOf, pattern } from "./layers.js";
import { hasVeraAndDora, mergedLoraCountsOnlyQkv } from "./method-releases.js";
import { checkMethodSupport } from "./support.js";
import type { AdapterHubContext, AdapterHubParts } from "./types.js";

export interface LoraKeys {
  readonly selfattn_lora: boolean;
  readonly intermediate_lora: boolean;
  readonly output_lora: boolean;
  readonly leave_out: readonly number[];
  readonly r: number;
  readonly alpha: number;
  readonly dropout: number;
  readonly attn_matrices: readonly string[];
  readonly composition_mode: string;
  readonly init_weights: string;
  readonly use_gating: boolean;
  readonly use_dora: boolean;
  readonly vera_d: number | null;
  readonly vera_b: number | null;
  /** MTL-LoRA's keys (MTLLoRAConfig), absent for the other LoRAConfig classes */
  readonly mtl?: { readonly n_up_projection: number; readonly task_specific_matrix_type: string };
}

/** One module AdapterHub wraps, with the shapes its LoRA gets. */
interface Wrapped {
  readonly module: LinearModule;
  readonly order: number;
  /** rows of lora_A (r, or r·n merged) and of lora_B (out, or out // 3 · n merged) */
  readonly rowsA: number;
  readonly rowsB: number;
  readonly gateHeads: number;
}

type Kind = "lora" | "ia3" | "vera" | "mtl";

function kindOf(o: LoraKeys, veraDora: boolean, id: string): Kind {
  if (o.composition_mode === "scale") {
    // methods/lora.py IA3.__init__
    if (o.use_dora && veraDora) throw new InputError("ADAPTERS_INVALID", `${id}: (IA)^3 (composition_mode "scale") does not support DoRA`, "set use_dora to false");
    if (o.r > 1) throw new InputError("ADAPTERS_INVALID", `${id}: Can only use composition_mode='scale' when r == 1 (r is ${o.r})`, "set r to 1");
    if (o.dropout > 0) throw new InputError("ADAPTERS_INVALID", `${id}: IA3 module does not support dropout (dropout is ${o.dropout})`, "set dropout to 0");
    if (!["lora", "bert", "ia3"].includes(o.init_weights)) throw new InputError("ADAPTERS_INVALID", `${id}: Unknown init_weights type: ${o.init_weights}`, 'use "ia3", "lora" or "bert"');
    return "ia3";
  }
  if (o.composition_mode !== "add") throw new InputError("ADAPTERS_INVALID", `${id}: Unknown composition_mode: ${o.composition_mode}`, 'use "add" (LoRA) or "scale" ((IA)^3)');
  const inits = veraDora ? ["lora", "bert", "ia3", "vera"] : ["lora", "bert", "ia3"];
  if (!inits.includes(o.init_weights)) throw new InputError("ADAPTERS_INVALID", `${id}: Unknown init_weights type: ${o.init_weights}`, `use one of ${inits.join(", ")}`);
  if (o.mtl) {
    // methods/lora.py MTLLoRA: replaces Vera too; it calls LoRA.__init__ without the base weight DoRA needs, and
    // TaskSpecificLinear never calls nn.Module.__init__, so both fail in AdapterHub
    if (o.use_dora) throw new InputError("ADAPTERS_INVALID", `${id}: MTL-LoRA with DoRA fails in AdapterHub (MTLLoRA does not pass the base weight on: KeyError 'w_o')`, "set use_dora to false");
    if (o.mtl.task_specific_matrix_type !== "singular_values")
      throw new InputError("ADAPTERS_INVALID", `${id}: task_specific_matrix_type "${o.mtl.task_specific_matrix_type}" fails in AdapterHub (TaskSpecificLinear assigns a parameter before Module.__init__)`, 'use "singular_values"');
    return "mtl";
  }
  // VeRA: methods/lora.py LoRALayer.add_adapter picks Vera when vera_d or vera_b is a float (./method-releases.ts)
  return veraDora && (o.vera_d !== null || o.vera_b !== null) ? "vera" : "lora";
}

/** The modules the config wraps, in AdapterHub's order. */
function wrappedModules(inv: Inventory, o: LoraKeys, ctx: AdapterHubContext, id: string): Wrapped[] {
  const anatomy = anatomyOf(inv, id);
  const leave = new Set(o.leave_out);
  const matrices = new Set(o.attn_matrices);
  // LoRAMergedLinear.get_n_heads (release rule in ./method-releases.ts)
  const merged = mergedLoraCountsOnlyQkv(ctx.adapters) ? ["q", "k", "v"].filter((k) => matrices.has(k)).length : matrices.size;
  const swapped = ffnKeysSwapped(inv.modelType);
  const out: Wrapped[] = [];
  const plain = (l: Parameters<typeof linearOf>[1], rel: string): void => {
    const { module, order } = linearOf(inv, l, rel);
    out.push({ module, order, rowsA: o.r, rowsB: module.outFeatures, gateHeads: 1 });
  };
  for (const l of adapterLayers(anatomy)) {
    if (leave.has(l.index)) continue;
    if (o.selfattn_lora) {
      for (const { attention: a } of attentionsOf(l.layer)) {
        if (a.qkv !== undefined) {
          const { module, order } = linearOf(inv, l, a.qkv);
          out.push({ module, order, rowsA: o.r * merged, rowsB: Math.floor(module.outFeatures / 3) * merged, gateHeads: merged });
        } else if (a.kv === undefined) {
          for (const key of ["q", "k", "v"] as const) {
            const rel = a[key];
            if (rel !== undefined && matrices.has(key)) plain(l, rel);
          }
        }
      }
    }
    const ffn = l.layer.ffn;
    if (ffn) {
      const up = ffn.in[ffn.in.length - 1]!;
      const [intermediate, output] = swapped ? [ffn.out, up] : [up, ffn.out];
      if (o.intermediate_lora) plain(l, intermediate);
      if (o.output_lora) plain(l, output);
    }
  }
  return out.sort((a, b) => a.order - b.order);
}

/**
 * DoRA copies the row norms of the wrapped layer's stored weight into a magnitude of lora_B's rows
 * (methods/lora.py LoRA.__init__ `self.m.weight.copy_(norm(w_o, dim=1))`). A Conv1D stores its weight
 * [in, out] (GPT-2's c_attn / c_fc / c_proj) and a merged q/k/v layer has out // 3 · n rows: where the two
 * differ, AdapterHub's copy fails, so there is no count.
 */
function checkDoraRows(w: Wrapped, id: string): void {
  const stored = w.module.kind === "conv1d" ? w.module.inFeatures : w.module.outFeatures;
  if (stored !== w.rowsB)
    throw new InputError(
      "ADAPTERS_INVALID",
      `${id}: DoRA on ${w.module.name} (${w.module.className}) fails in AdapterHub: the magnitude has ${w.rowsB} rows, the stored weight's row norms ${stored}`,
      "use plain LoRA (use_dora false) on this model",
    );
}

export function countLoraFamily(inv: Inventory, o: LoraKeys, ctx: AdapterHubContext, id: string): AdapterHubParts {
  checkMethodSupport(inv.modelType, "lora", ctx);
  const veraDora = hasVeraAndDora(ctx.adapters);
  const warnings: string[] = [];
  if (!veraDora && (o.use_dora || o.vera_d !== null || o.vera_b !== null))
    warnings.push(`${id}: adapters < 1.2.0 has no VeRA / DoRA; it keeps use_dora / vera_d / vera_b as plain attributes and builds plain LoRA`);
  const kind = kindOf(o, veraDora, id);
  const dora = veraDora && o.use_dora;
  const wrapped = wrappedModules(inv, o, ctx, id);
  if (wrapped.length === 0) warnings.push(`${id}: no module matches (selfattn_lora / intermediate_lora / output_lora, attn_matrices, leave_out): nothing to train`);
  const sum = new PartSum();
  for (const w of wrapped) {
    const base = `${pattern(w.module.name)}.loras`;
    const inF = w.module.inFeatures;
    if (kind === "lora") {
      sum.add(`${base}.lora_A`, w.rowsA * inF, 1, "adapter");
      sum.add(`${base}.lora_B`, w.rowsB * o.r, 1, "adapter");
    } else if (kind === "mtl" && o.mtl) {
      // one lora_B per up projection, the task-specific singular values (r) and the projection weights
      sum.add(`${base}.lora_A`, w.rowsA * inF, 1, "adapter");
      sum.add(`${base}.lora_B`, o.mtl.n_up_projection * w.rowsB * o.r, 1, "adapter");
      sum.add(`${base}.task_specific`, o.r, 1, "adapter");
      sum.add(`${base}.weights`, o.mtl.n_up_projection, 1, "adapter");
    } else if (kind === "ia3") {
      sum.add(`${base}.lora_B`, w.rowsB * o.r, 1, "adapter");
    } else {
      sum.add(`${base}.vera_D`, w.rowsA * w.rowsA, 1, "adapter");
      sum.add(`${base}.vera_B`, w.rowsB * w.rowsB, 1, "adapter");
    }
    if (dora && kind !== "ia3") {
      checkDoraRows(w, id);
      sum.add(`${base}.m`, w.rowsB, 1, "adapter");
    }
    if (o.use_gating) sum.add(`${base}.gate`, inF * w.gateHeads + w.gateHeads, 1, "adapter");
  }
  // init_shared_vera_parameters: frozen lora_A / lora_B shaped like the first module's (model_mixin._add_adapter_weights),
  // created whenever vera_d / vera_b is set (an MTL-LoRA that replaced the Vera module too)
  const first = wrapped[0];
  const veraShared = kind === "vera" || (kind === "mtl" && veraDora && (o.vera_d !== null || o.vera_b !== null));
  const frozenAdded = veraShared && first ? first.rowsA * first.module.inFeatures + first.rowsB * o.r : 0;
  return { parts: sum.list(), ...(frozenAdded > 0 ? { frozenAdded } : {}), warnings };
}
