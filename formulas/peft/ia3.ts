/**
 * (IA)³: one learned scaling vector per wrapped Linear / Conv1D (peft src/peft/tuners/ia3/layer.py
 * `IA3Layer.update_layer`): `ia3_l` is (1, d_in) on a feed-forward module (it scales the input) and
 * (d_out, 1) on any other (it scales the output). Conv1D reads d_in, d_out from its weight, stored
 * [d_in, d_out], so the rule is the same. Embeddings cannot be wrapped (`_create_new_module` raises).
 * A module is feed-forward when `feedforward_modules` (a list) has an entry its name *ends with* — plain
 * `str.endswith`, so BERT's "output.dense" also marks `attention.output.dense` — or (a string) fully
 * matches it as a regex (`IA3Model._check_target_module_feedforward`). Left null, both target_modules and
 * feedforward_modules come from PEFT's IA3 tables for the model_type (`_prepare_adapter_config`); the
 * config refuses a feedforward list that is not a subset of the target list (`IA3Config.__post_init__`).
 * The config has no `bias` and no `layers_to_transform`.
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory, type ParamModule } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import type { ParamBreakdown } from "../../src/peft/apply.js";
import { IA3_FEEDFORWARD_MODULES, IA3_TARGETS } from "../../src/peft/default-targets-own.js";
import { fullMatch } from "../../src/peft/regex.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, stringOrList, type EvalContext, type Formula } from "../types.js";

export const ia3OptionsSchema = lazySchema(() => z.object({
  target_modules: describe(z._default(z.nullable(stringOrList), null), 'module names (exact or suffix), a regex string, or "all-linear"; null: PEFT\'s IA3 default for the model_type'),
  exclude_modules: describe(z._default(z.nullable(stringOrList), null), "names (suffix) or a regex string never to wrap"),
  feedforward_modules: describe(
    z._default(z.nullable(stringOrList), null),
    "targets treated as feed-forward (scaled on the input, d_in; others on the output, d_out): names a module ends with, or a regex string; a list must be a subset of target_modules; null: PEFT's IA3 default",
  ),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "Conv1D weight layout (no effect on the count)"),
  modules_to_save: describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy"),
  init_ia3_weights: describe(z._default(z.boolean(), true), "initialise the vectors to ones (no effect on the count)"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
}));
export type Ia3Options = z.output<typeof ia3OptionsSchema>;

/** The feedforward_modules PEFT uses: the config's, else the model_type's default (PEFT raises without one). */
function feedforwardOf(inv: Inventory, o: Ia3Options): string | readonly string[] {
  if (o.feedforward_modules !== null) return o.feedforward_modules;
  const d = IA3_FEEDFORWARD_MODULES[inv.modelType];
  if (d === undefined)
    throw new InputError(
      "NO_DEFAULT_TARGETS",
      `ia3: PEFT has no default feedforward_modules for model_type "${inv.modelType}"`,
      "set feedforward_modules (e.g. the MLP's down projection), or [] to scale every target on its output",
    );
  return d;
}

function isFeedforward(name: string, ff: string | readonly string[]): boolean {
  return typeof ff === "string" ? fullMatch(ff, name, "feedforward_modules") : ff.some((f) => name.endsWith(f));
}

export function countIa3Params(inv: Inventory, o: Ia3Options, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  const t = o.target_modules;
  const f = o.feedforward_modules;
  if (Array.isArray(t) && Array.isArray(f)) {
    const outside = f.filter((x) => !t.includes(x));
    if (outside.length > 0)
      throw new InputError(
        "INVALID_OPTION",
        `ia3: feedforward_modules must be a subset of target_modules (PEFT refuses it); not targeted: ${outside.map((x) => `"${x}"`).join(", ")}`,
        "add them to target_modules or remove them from feedforward_modules",
      );
  }
  if (t === null && IA3_TARGETS[inv.modelType] === undefined)
    throw new InputError("NO_DEFAULT_TARGETS", `ia3: PEFT has no default target_modules for model_type "${inv.modelType}"`, 'set target_modules (e.g. "all-linear") and feedforward_modules');
  const ff = feedforwardOf(inv, o);
  return wrapModules(
    inv,
    o,
    {
      method: "ia3",
      defaults: IA3_TARGETS,
      wrappable: ["linear", "conv1d"],
      // inject_adapter does not shorten IA3's target lists to suffixes (peft tuners_utils.py)
      optimizeTargets: false,
      // the feed-forward test reads the name: made once per targeting plan (modules stay grouped), not per module
      classify: () => ({ key: JSON.stringify(ff), of: (name) => (isFeedforward(name, ff) ? "ff" : "") }),
      perModule(m: ParamModule, add, _o, label) {
        add("ia3_l", label === "ff" ? featuresOf(m).inFeatures : featuresOf(m).outFeatures);
      },
    },
    ctx,
  );
}

export const ia3 = {
  id: "ia3",
  title: "(IA)³",
  paper: "arXiv:2205.05638",
  peftType: "IA3",
  expression: "Σ_targets (d_in if feed-forward else d_out)",
  schema: ia3OptionsSchema,
  count: countIa3Params,
  compact: indexFree,
} as const satisfies Formula<typeof ia3OptionsSchema>;
