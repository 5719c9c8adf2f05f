/**
 * Planning a method once on one model and counting it at many values of one option (a rank, a block size,
 * a number of virtual tokens): what `sweep`, `budget` and `memory` do thousands of times.
 *
 * `planMethod(formula, inv, options, key, ctx)` validates the options and the release once and returns a
 * function of the knob's value. Each point validates only the new value against the knob's own schema
 * (a field of a zod object is parsed independently of the others) and calls `count`; the targeting, the
 * module classes and the tree indexes are cached per inventory by the engine (src/peft/targets.ts, plan.ts,
 * modules.ts), so a point of a module-wrapping method costs O(module classes), not O(modules).
 * The result of a point is exactly `evaluate(formula, inv, {...options, [key]: value}, ctx)`: same
 * breakdown, same errors (a value the knob's schema refuses, or a schema with cross-field checks, goes
 * through `evaluate` itself).
 */
import * as z from "zod/mini";
import { InputError } from "../src/errors.js";
import type { Inventory } from "../src/model/types.js";
import { countLine, type CountLine } from "../src/peft/count-line.js";
import { checkedBreakdown, checkRelease, countedOn, DEFAULT_CONTEXT, evaluate, parseOptions, type EvalContext, type Formula, type ParamBreakdown } from "./types.js";

/** The breakdown of one point: `evaluate(...).breakdown` with the knob set to `value`. */
export type PointCount = (value: unknown) => ParamBreakdown;

interface ObjectDef {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.ZodMiniType>>;
  readonly checks?: readonly unknown[];
  readonly catchall?: unknown;
}

/** The knob's own schema when the options schema is a plain object (fields parsed independently), else undefined. */
function fieldSchema(schema: z.ZodMiniType, key: string): z.ZodMiniType | undefined {
  const def = objectDef(schema);
  if (def === undefined || (def.checks?.length ?? 0) > 0 || def.catchall !== undefined) return undefined;
  return Object.prototype.hasOwnProperty.call(def.shape, key) ? def.shape![key] : undefined;
}

function objectDef(schema: z.ZodMiniType): ObjectDef | undefined {
  const def = (schema as unknown as { _zod: { def: ObjectDef } })._zod.def;
  return def.type === "object" && def.shape !== undefined ? def : undefined;
}

/** The schema without the knob (built once per schema and key): the other options, parsed once per plan. */
const withoutKnob = new WeakMap<z.ZodMiniType, Map<string, Formula>>();
function othersOf(formula: Formula, key: string): Formula {
  let byKey = withoutKnob.get(formula.schema);
  if (!byKey) withoutKnob.set(formula.schema, (byKey = new Map()));
  let f = byKey.get(key);
  if (!f) byKey.set(key, (f = { ...formula, schema: z.omit(formula.schema as z.ZodMiniObject, { [key]: true }) }));
  return f;
}

/**
 * Plan `formula` on `inv` with `options` (raw, PEFT keys; the knob's own value, if any, is ignored) and return
 * the count as a function of `key`'s value. Throws what `evaluate` throws for the other options (invalid
 * options, a release without the method), and InputError UNKNOWN_OPTION when the method has no option `key`.
 */
export function planMethod(formula: Formula, inv: Inventory, options: unknown, key: string, ctx: EvalContext = DEFAULT_CONTEXT): PointCount {
  const def = objectDef(formula.schema);
  if (def !== undefined && !Object.prototype.hasOwnProperty.call(def.shape, key))
    throw new InputError("UNKNOWN_OPTION", `${formula.id}: no option "${key}" to vary`, `options of ${formula.id}: ${Object.keys(def.shape!).join(", ")}`);
  checkRelease(formula, ctx);
  const raw = (options ?? {}) as Record<string, unknown>;
  const field = fieldSchema(formula.schema, key);
  const exact = (value: unknown) => evaluate(formula, inv, { ...raw, [key]: value }, ctx).breakdown;
  if (field === undefined) return exact;
  const { [key]: _ignored, ...rest } = raw;
  const others = parseOptions(othersOf(formula, key), rest) as Record<string, unknown>;
  // the options object zod would build: keys in schema order (absent optional keys stay absent)
  const order = Object.keys(def!.shape!).filter((k) => k === key || Object.prototype.hasOwnProperty.call(others, k));
  // a method affine in the knob (Formula.affine): two exact points, then every point on their line
  let anchor: { readonly v: number; readonly b: ParamBreakdown } | undefined;
  let line: CountLine | null | undefined;
  return (value) => {
    const r = z.safeParse(field, value);
    // a refused value: evaluate says why, with the same message as any other evaluation
    if (!r.success || r.data === undefined) return exact(value);
    const v = r.data;
    if (typeof line === "function" && typeof v === "number") {
      const b = line(v);
      if (b !== undefined) return b;
    }
    const o: Record<string, unknown> = {};
    for (const k of order) o[k] = k === key ? v : others[k];
    const b = checkedBreakdown(formula, formula.count(countedOn(formula, inv, o), o, ctx));
    if (line === undefined && typeof v === "number" && Number.isSafeInteger(v)) {
      if (formula.affine?.(o, key) !== true) line = null;
      else if (anchor === undefined) anchor = { v, b };
      else if (anchor.v !== v) line = countLine(anchor.v, anchor.b, v, b, inv.experts) ?? null;
    }
    return b;
  };
}

/** `planMethod` over a list of values: one breakdown per value, in order. */
export function sweep(formula: Formula, inv: Inventory, options: unknown, key: string, values: Iterable<unknown>, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown[] {
  const at = planMethod(formula, inv, options, key, ctx);
  const out: ParamBreakdown[] = [];
  for (const v of values) out.push(at(v));
  return out;
}
