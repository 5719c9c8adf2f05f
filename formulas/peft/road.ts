/**
 * RoAd (Liao et al. 2024): each wrapped Linear's output is split into groups whose element pairs are
 * rotated in 2-D and scaled; the angles `road_theta` and scales `road_alpha` are learned, one pair per
 * rotation, each of length d_out/2 (road_1), d_out (road_2, separate scales) or 2·d_out (road_4), so
 * 2 × that per module. d_out must be a multiple of the (even) `group_size`. Added in peft 0.18; the config has
 * no bias, exclude or layer keys (PEFT ignores them). Same shapes in 0.18 to 0.21.
 * @see peft src/peft/tuners/road/layer.py `RoadLayer.update_layer`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { ROAD_TARGETS } from "../../src/peft/default-targets.js";
import { BASIC_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

export const roadOptionsSchema = lazySchema(() => z.object({
  variant: describe(z._default(z.enum(["road_1", "road_2", "road_4"]), "road_1"), "road_1: d_out/2 angles and scales per layer; road_2: d_out; road_4: 2·d_out"),
  group_size: describe(z._default(z.int(), 64), "output elements per rotation group (even; must divide d_out)"),
  init_weights: describe(z._default(z.boolean(), true), "identity initialisation (no effect on the count)"),
  ...BASIC_TARGETING,
}));
export type RoadOptions = z.output<typeof roadOptionsSchema>;

const PER_OUTPUT = { road_1: 0.5, road_2: 1, road_4: 2 } as const;

export function countRoad(inv: Inventory, o: RoadOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  if (o.group_size <= 0 || o.group_size % 2 !== 0)
    throw new InputError("OPTION_OUT_OF_RANGE", `road: group_size must be a positive even number (got ${o.group_size}; PEFT refuses it)`, "use e.g. group_size=64");
  return wrapModules(
    inv,
    o,
    {
      method: "road",
      defaults: ROAD_TARGETS,
      wrappable: ["linear"],
      perModule: (m, add) => {
        const fout = featuresOf(m).outFeatures;
        if (fout % o.group_size !== 0)
          throw new InputError("OPTION_OUT_OF_RANGE", `road: out_features ${fout} of ${m.name} is not a multiple of group_size ${o.group_size} (PEFT refuses it)`, "choose a group_size dividing every targeted layer's output width");
        // d_out is a multiple of the even group_size, so d_out / 2 is whole
        const size = fout * PER_OUTPUT[o.variant];
        add("road_theta", size);
        add("road_alpha", size);
      },
    },
    ctx,
  );
}

export const road = {
  id: "road",
  title: "RoAd",
  paper: "arXiv:2409.00119",
  peftType: "ROAD",
  expression: "Σ_targets 2 · k · d_out  (k = 1/2, 1, 2 for road_1 / road_2 / road_4)",
  schema: roadOptionsSchema,
  peftVersions: { since: "0.18.0" },
  count: countRoad,
  compact: indexFree,
} as const satisfies Formula<typeof roadOptionsSchema>;
