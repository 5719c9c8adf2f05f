/**
 * Lily: each wrapped Linear gets lily_A (d_in → r), lily_B (d_out → num_B·r) and a router (r → num_B),
 * then PEFT's post-injection hook shares them. Layers are grouped by (the `target_modules` entry the name ends
 * with, weight shape), in model order; within a group all layers share the first layer's lily_B, and each run
 * of `stride_A` consecutive layers shares its first layer's lily_A. Per group of n layers:
 * ⌈n/stride_A⌉·r·d_in (A) + num_B·r·d_out (B, once), plus r·num_B per layer (routers are never shared).
 * The entry is read from `target_modules` as injection left it (injected-target-modules.ts): a regex string
 * is one entry (layers then group by shape alone); "all-linear" becomes full module names, so nothing is
 * shared, unless there are ≥ 20 of them and PEFT shortens them to suffixes. Linear only (Conv1D is refused).
 * @see arXiv:2407.09946 · peft src/peft/tuners/lily/layer.py `update_layer`, model.py `_post_injection_hook`
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { wrapModules } from "../../src/peft/tuner.js";
import { featuresOf, groupName, type Inventory, type ParamModule } from "../../src/model/types.js";
import type { ParamBreakdown, SharedParam } from "../../src/peft/apply.js";
import { LILY_TARGETS } from "../../src/peft/default-targets.js";
import { injectedTargetModules } from "../../src/peft/injected-target-modules.js";
import { moduleTree } from "../../src/peft/modules.js";
import { excludeModulesOption, refuseLayersPatternAlone, TARGETING_KEYS } from "../../src/peft/targeting-options.js";
import { describe, type EvalContext, type Formula } from "../types.js";

const positive = z.int().check(z.positive());

export const lilyOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(positive, 32), "rank of each A and B"),
  stride_A: describe(z._default(positive, 1), "consecutive layers (of one target and shape) sharing one lily_A"),
  num_B: describe(z._default(z.int().check(z.gte(2)), 2), "B experts, shared by all layers of one target and shape (PEFT needs ≥ 2 to train the router)"),
  ...TARGETING_KEYS,
  exclude_modules: excludeModulesOption,
  scaling: describe(z._default(z.number(), 1), "output multiplier (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "initialisation (no effect on the count)"),
}));
export type LilyOptions = z.output<typeof lilyOptionsSchema>;

interface Grouping {
  readonly groups: Map<string, ParamModule[]>;
  readonly warnings: string[];
}

/** PEFT's `target_to_layers`: wrapped layers keyed by (matched entry, weight shape), in model order. */
function groupLayers(wrapped: readonly ParamModule[], targets: string | Set<string>): Grouping {
  const groups = new Map<string, ParamModule[]>();
  const ambiguous = new Map<string, { readonly example: string; readonly chosen: string; n: number }>();
  for (const m of wrapped) {
    let matched: string | undefined;
    if (typeof targets === "string") matched = targets;
    else {
      const hits = [...targets].filter((t) => m.name.endsWith(t)).sort((a, b) => a.length - b.length);
      // PEFT takes the last hit in its set's iteration order, which Python's string hashing makes arbitrary
      matched = hits.at(-1);
      if (hits.length > 1) {
        const seen = ambiguous.get(hits.join(", "));
        if (seen) seen.n++;
        else ambiguous.set(hits.join(", "), { example: m.name, chosen: matched!, n: 1 });
      }
    }
    // no entry matched: PEFT leaves the layer's own A and B unshared
    const key = matched === undefined ? `\u0000${m.name}` : `${matched}\u0000${featuresOf(m).outFeatures}x${featuresOf(m).inFeatures}`;
    const list = groups.get(key) ?? [];
    list.push(m);
    groups.set(key, list);
  }
  const warnings = [...ambiguous].map(
    ([hits, a]) =>
      `lily: ${a.n} layer(s) (e.g. ${a.example}) end with several target_modules entries (${hits}); PEFT picks one by Python's set order, which varies run to run, so its A/B sharing may differ; counted as "${a.chosen}"`,
  );
  return { groups, warnings };
}

export function countLilyParams(inv: Inventory, o: LilyOptions, ctx: EvalContext): ParamBreakdown {
  refuseLayersPatternAlone("lily", o, ctx);
  const tree = moduleTree(inv.modules);
  const notes: string[] = [];
  const result = wrapModules(
    inv,
    o,
    {
      method: "lily",
      defaults: LILY_TARGETS,
      wrappable: ["linear"],
      perModule(_m, add) {
        add("lily_router", o.r * o.num_B);
      },
      shared(wrapped): SharedParam[] {
        const { groups, warnings } = groupLayers(wrapped, injectedTargetModules(inv, tree, o, "lily", LILY_TARGETS));
        notes.push(...warnings);
        const out: SharedParam[] = [];
        for (const layers of groups.values()) {
          const first = layers[0]!;
          out.push({ name: `${groupName(first.name)}.lily_A`, count: Math.ceil(layers.length / o.stride_A) * o.r * featuresOf(first).inFeatures });
          out.push({ name: `${groupName(first.name)}.lily_B`, count: o.num_B * o.r * featuresOf(first).outFeatures });
        }
        return out;
      },
    },
    ctx,
    tree,
  );
  return notes.length === 0 ? result : { ...result, warnings: [...result.warnings, ...notes] };
}

export const lily = {
  id: "lily",
  title: "Lily",
  paper: "arXiv:2407.09946",
  peftType: "LILY",
  expression: "Σ_groups (⌈n/stride_A⌉·r·d_in + num_B·r·d_out) + Σ_targets r·num_B; group = target entry × shape",
  schema: lilyOptionsSchema,
  peftVersions: { since: "0.19.0" },
  count: countLilyParams,
} as const satisfies Formula<typeof lilyOptionsSchema>;
