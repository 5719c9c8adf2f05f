/**
 * Bone (Kang & Yin 2024), MiSS's predecessor, removed in peft 0.19 (MiSS replaces it; 0.17 and 0.18 warn
 * so). Each wrapped Linear learns `bone_block`: r × d_out, or with init_weights="bat" (d_out / r) × r × r
 * = d_out·r, where d_in and d_out must be multiples of r.
 * @see peft v0.18.0 src/peft/tuners/bone/layer.py `BoneLayer.update_layer`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import type { Inventory } from "../../src/model/types.js";
import { LORA_TARGETS } from "../../src/peft/default-targets.js";
import { withWarnings } from "../../src/peft/orthogonal-blocks.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { blockSize } from "./miss.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

export const boneOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(z.int().check(z.positive()), 64), "block size along the input side"),
  init_weights: describe(z._default(z.union([z.boolean(), z.literal("bat")]), true), 'true / false: r × d_out block; "bat": (d_out/r) r×r blocks'),
  bias: describe(z._default(z.enum(["none", "all", "bone_only"]), "none"), "which biases train: none, all, bone_only (those of wrapped layers)"),
  ...FULL_TARGETING,
}));
export type BoneOptions = z.output<typeof boneOptionsSchema>;

export function countBone(inv: Inventory, o: BoneOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkLayerKeys("bone", o, ctx);
  // peft 0.18 constants.py: TRANSFORMERS_MODELS_TO_BONE_TARGET_MODULES_MAPPING is a copy of LoRA's table
  const b = wrapModules(inv, o, { method: "bone", defaults: LORA_TARGETS, wrappable: ["linear"], perModule: (m, add) => add("bone_block", blockSize("bone", m, o.r, o.init_weights, 1)) }, ctx);
  return withWarnings(b, ["Bone is deprecated and removed in peft 0.19 (PEFT warns too); MiSS (--method miss) replaces it"]);
}

export const bone = {
  id: "bone",
  title: "Bone",
  paper: "arXiv:2409.15371",
  peftType: "BONE",
  expression: "Σ_targets r · d_out",
  schema: boneOptionsSchema,
  peftVersions: { removedIn: "0.19.0" },
  count: countBone,
  compact: indexFree,
} as const satisfies Formula<typeof boneOptionsSchema>;
