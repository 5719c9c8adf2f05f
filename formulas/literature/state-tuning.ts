/**
 * Initial-state tuning for recurrent / state-space layers (Lina-Speech style: learn the state the recurrence
 * starts from, nothing else). Per adapted mixer layer, the state of its scan:
 * - Mamba / Falcon-Mamba / Jamba mixers (`A_log` [d_inner, N]): d_inner channels × N state entries;
 * - Mamba-2 mixers (`A_log` [H]): H heads × head_dim × N;
 * full (`r` null) or as a rank-r factorisation per head / per mixer: r·(rows + N) each.
 * Read from the module shapes of the model's declared mixers (its anatomy); a model without recurrent layers is
 * refused.
 */
import { modelParams } from "../../src/model/compact.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { type Inventory } from "../../src/model/types.js";
import { describe, nonNegInt, type Formula } from "../types.js";
import { anatomyOf, layersOf, moduleIndex } from "../../src/model/anatomy-paths.js";

export const stateTuningSchema = lazySchema(() => z.object({
  r: describe(z._default(z.nullable(z.int().check(z.positive())), null), "rank of each learned state (null: the full state)"),
  layers: describe(z._default(z.nullable(z.array(nonNegInt)), null), "indices of the recurrent layers to tune (null: all)"),
}));
export type StateTuningOptions = z.output<typeof stateTuningSchema>;

function stateShape(inv: Inventory, aLog: readonly number[]): { heads: number; rows: number; n: number } {
  if (aLog.length === 2) return { heads: 1, rows: aLog[0]!, n: aLog[1]! };
  const cfg = inv.config ?? {};
  const n = cfg["state_size"];
  const headDim = cfg["head_dim"] ?? cfg["mamba_d_head"];
  if (typeof n !== "number" || typeof headDim !== "number")
    throw new InputError("UNSUPPORTED_MODEL", `state-tuning: ${inv.modelType}'s config has no state_size / head_dim to size the state`, "use a Mamba or Mamba-2 model");
  return { heads: aLog[0]!, rows: headDim, n };
}

export function countStateTuning(inv: Inventory, o: StateTuningOptions): ParamBreakdown {
  const a = anatomyOf(inv, "state-tuning");
  const byName = moduleIndex(inv);
  const mixers = layersOf(a).filter((l) => l.layer.mixer !== undefined);
  if (mixers.length === 0) throw new InputError("UNSUPPORTED_MODEL", `state-tuning: ${inv.modelType} has no recurrent (state-space) layers`, "use a Mamba, Mamba-2 or hybrid model");
  const chosen = o.layers === null ? mixers : mixers.filter((l) => o.layers!.includes(l.index));
  if (chosen.length === 0) throw new InputError("NO_TARGETS", `state-tuning: none of layers ${JSON.stringify(o.layers)} is a recurrent layer`, `recurrent layers: ${mixers.map((l) => l.index).join(", ")}`);
  let count = 0;
  for (const { stack, index, layer } of chosen) {
    const mixer = byName.get(`${stack.layersPath}.${index}.${layer.mixer}`);
    const aLog = mixer?.params.find((p) => p.name === "A_log")?.shape;
    if (!aLog) throw new InputError("UNSUPPORTED_MODEL", `state-tuning: ${stack.layersPath}.${index}.${layer.mixer} holds no A_log to size its state`, "use a Mamba or Mamba-2 model");
    const { heads, rows, n } = stateShape(inv, aLog);
    count += heads * (o.r === null ? rows * n : o.r * (rows + n));
  }
  return { trainable: count, allParams: modelParams(inv) + count, parts: [{ name: "initial_state", modules: chosen.length, count, kind: "prompt" }], warnings: [] };
}

export const stateTuning = {
  id: "state-tuning",
  title: "Initial-state tuning (SSM / recurrent)",
  paper: "arXiv:2410.23320",
  peftType: null,
  expression: "Σ_mixers heads·rows·N (rank r: heads·r·(rows + N))",
  schema: stateTuningSchema,
  count: countStateTuning,
} as const satisfies Formula<typeof stateTuningSchema>;
