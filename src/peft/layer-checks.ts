/**
 * The refusals PEFT configs share about `layers_to_transform` / `layers_pattern` (each method's
 * `config.py __post_init__` has its own subset, so a formula names the ones its config has):
 * - `layers_to_transform` (or `layers_pattern`) with a regex-string `target_modules`: the regex alone decides ("all-linear" included);
 * - `layers_pattern` without `layers_to_transform`. Before peft 0.21 (#3425, "Accept layers_to_transform=0
 *   together with layers_pattern") the test was Python truthiness, so `0` and `[]` were refused too.
 */
import { InputError } from "../errors.js";
import { atLeast, type Versions } from "../versions.js";

interface LayerKeys {
  readonly target_modules: string | readonly string[] | null;
  readonly layers_to_transform?: number | readonly number[] | null;
  readonly layers_pattern?: string | readonly string[] | null;
}

const pythonTruthy = (v: number | string | readonly unknown[] | null | undefined) => v !== null && v !== undefined && (typeof v === "number" ? v !== 0 : v.length > 0);

/** `layers_to_transform` (and, when `alsoPattern`, `layers_pattern`) cannot go with a regex `target_modules`. */
export function refuseLayersWithRegexTargets(method: string, o: LayerKeys, alsoPattern: boolean): void {
  // "all-linear" is a string too: PEFT refuses it as well
  if (typeof o.target_modules !== "string") return;
  const which = o.layers_to_transform !== null && o.layers_to_transform !== undefined ? "layers_to_transform" : alsoPattern && o.layers_pattern !== null && o.layers_pattern !== undefined ? "layers_pattern" : undefined;
  if (which)
    throw new InputError("CONFLICTING_OPTIONS", `${method}: ${which} cannot be used when target_modules is a string (PEFT refuses it)`, `list the module names in target_modules, or drop ${which}`);
}

/** `layers_pattern` needs `layers_to_transform` (before peft 0.21 a falsy one, 0 or [], was refused too). */
export function refuseLayersPatternAlone(method: string, o: LayerKeys, ctx: Versions): void {
  if (!pythonTruthy(o.layers_pattern)) return;
  const missing = atLeast(ctx.peft, "0.21.0") ? o.layers_to_transform === null || o.layers_to_transform === undefined : !pythonTruthy(o.layers_to_transform);
  if (missing)
    throw new InputError(
      "CONFLICTING_OPTIONS",
      `${method}: layers_pattern is set but layers_to_transform is ${JSON.stringify(o.layers_to_transform ?? null)} (PEFT refuses it)`,
      atLeast(ctx.peft, "0.21.0") ? "set layers_to_transform, or drop layers_pattern" : "set a non-empty layers_to_transform (peft before 0.21 also refuses 0 and []), or drop layers_pattern",
    );
}
