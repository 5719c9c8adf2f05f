/**
 * OSF, orthogonal subspace fine-tuning (arXiv:2504.07097): each wrapped Linear's weight (d_out × d_in) is
 * split by SVD; the top k singular directions stay frozen (buffers) and the rest train as U_low
 * (d_out × (m−k)), S_low (m−k) and V_low ((m−k) × d_in), m = min(d_out, d_in): (m−k)·(d_out + d_in + 1)
 * per module. k = `effective_rank` (null: ⌊m/2⌋; a float in (0, 1]: ⌊m·value⌋; clamped to [0, m]), or the
 * first `rank_pattern` regex found in the module name; PEFT refuses k = 0. Without target_modules and a
 * default for the model_type, OSF wraps every Linear ("all-linear"). Only `osf_svd_params` train; a matched
 * module that is not an nn.Linear (GPT-2's Conv1D, an embedding) is left alone, silently in PEFT, with a warning here.
 * JSON cannot tell 1.0 from 1: a whole number is read as an absolute rank, as PEFT reads an int.
 * @see peft src/peft/tuners/osf/model.py `_create_and_replace`, layer.py `update_layer`, utils.py
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, groupName, type Inventory } from "../../src/model/types.js";
import { OSF_TARGETS } from "../../src/peft/default-targets-own.js";
import { searchPatternValue } from "../../src/peft/pattern-keys.js";
import { BASIC_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

export const osfOptionsSchema = lazySchema(() => z.object({
  effective_rank: describe(z._default(z.nullable(z.number()), null), "frozen top singular directions per module: an integer, or a fraction in (0, 1) of min(d_out, d_in); null: half"),
  rank_pattern: describe(z._default(z.nullable(z.record(z.string(), z.number())), null), "effective_rank per module-name regex (searched anywhere in the name)"),
  init_weights: describe(z._default(z.nullable(z.boolean()), true), "SVD initialisation (no effect on the count)"),
  target_svd_config: describe(z._default(z.nullable(z.record(z.string(), z.int())), null), "legacy key, accepted and ignored by PEFT (no effect on the count)"),
  ...BASIC_TARGETING,
}));
export type OsfOptions = z.output<typeof osfOptionsSchema>;

/** osf/model.py `_resolve_rank`: None → ⌊m/2⌋; a fraction in (0, 1] → ⌊m·v⌋; else int(v); clamped to [0, m]. */
export function resolveOsfRank(value: number | null | undefined, m: number): number {
  if (value === null || value === undefined) return Math.floor(m / 2);
  const r = !Number.isInteger(value) && value > 0 && value <= 1 ? Math.trunc(m * value) : Math.trunc(value);
  return Math.max(Math.min(m, r), 0);
}

export function countOsf(inv: Inventory, o: OsfOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  // OSFModel._prepare_adapter_config: no target_modules and no default for the model_type → all linear layers
  const targets = o.target_modules ?? (OSF_TARGETS[inv.modelType] === undefined ? "all-linear" : null);
  const skipped: string[] = [];
  const counted = wrapModules(
    inv,
    { ...o, target_modules: targets },
    {
      method: "osf",
      defaults: OSF_TARGETS,
      // PEFT matches any module, then wraps only nn.Linear and silently leaves the others as they are
      wrappable: ["linear", "conv1d", "embedding", "norm", "other"],
      perModule: (m, add) => {
        if (m.kind !== "linear") {
          skipped.push(m.name);
          return;
        }
        const out = m.outFeatures;
        const inp = m.inFeatures;
        const min = Math.min(out, inp);
        const k = resolveOsfRank(searchPatternValue(o.rank_pattern, m.name, "rank_pattern") ?? o.effective_rank, min);
        if (k <= 0)
          throw new InputError("OPTION_OUT_OF_RANGE", `osf: ${m.name} would keep ${k} frozen directions; PEFT needs a positive effective_rank`, "set effective_rank (or its rank_pattern entry) to at least 1");
        const low = min - k;
        add("osf_svd_params.U_low", out * low);
        add("osf_svd_params.S_low", low);
        add("osf_svd_params.V_low", low * inp);
      },
    },
    ctx,
  );
  const notes: string[] = [];
  if (skipped.length > 0) notes.push(`OSF wraps nn.Linear only: PEFT silently leaves ${skipped.length} matched module(s) untouched (${[...new Set(skipped.map(groupName))].join(", ")})`);
  if (o.effective_rank === 1 || Object.values(o.rank_pattern ?? {}).includes(1))
    notes.push("an effective rank of 1 is read as the integer 1 (one frozen direction); if the config says 1.0, PEFT reads a fraction and freezes every direction, training nothing");
  return notes.length === 0 ? counted : { ...counted, warnings: [...counted.warnings, ...notes] };
}

export const osf = {
  id: "osf",
  title: "OSF",
  paper: "arXiv:2504.07097",
  peftType: "OSF",
  expression: "Σ_targets (m − k)·(d_out + d_in + 1),  m = min(d_out, d_in), k = effective_rank",
  schema: osfOptionsSchema,
  peftVersions: { since: "0.18.0" },
  count: countOsf,
} as const satisfies Formula<typeof osfOptionsSchema>;
