/**
 * The formula contract: one file = one method = one CLI id. A formula has a zod schema whose keys are
 * PEFT's own config keys (an adapter_config.json parses verbatim; unknown keys are dropped), and a pure,
 * total `count` that reads shapes from the inventory and returns exact integers.
 */
import * as z from "zod/mini";
import { InputError } from "../src/errors.js";
import { atLeast, formatVersion } from "../src/versions.js";
import type { Inventory } from "../src/model/types.js";
import { compactOf } from "../src/model/compact.js";
import type { ParamBreakdown } from "../src/breakdown.js";
import { DEFAULT_VERSIONS, type Versions } from "../src/versions.js";

export type { ParamBreakdown, Part, PartKind } from "../src/breakdown.js";
export type { Versions } from "../src/versions.js";

/** What an evaluation may depend on besides the model and the options: the releases whose behaviour to reproduce. */
export type EvalContext = Versions;
export const DEFAULT_CONTEXT: EvalContext = DEFAULT_VERSIONS;

export interface Formula<S extends z.ZodMiniType = z.ZodMiniType> {
  readonly id: string;
  readonly title: string;
  readonly paper: string;
  /** `peft_type` of an adapter_config.json this formula reads, if any */
  readonly peftType: string | null;
  /** the count in one line, for `methods --verbose` and the README */
  readonly expression: string;
  readonly schema: S;
  /** PEFT releases that have this method: [first, first release without it) — absent: every release modelled */
  readonly peftVersions?: { readonly since?: string; readonly removedIn?: string };
  /** what the count depends on that peftcount cannot know (data, weights), said on every row */
  readonly caveat?: string;
  /** pure and total; method syntax so any formula is a `Formula` */
  count(inv: Inventory, options: z.output<S>, ctx: EvalContext): ParamBreakdown;
  /**
   * Whether `count` may run on the compact inventory (src/model/compact.ts: repeated experts listed once,
   * weighted) for these options and give the same breakdown: the method's count goes through the weighted
   * engine (src/peft plan / settle) and nothing in the options tells the copies apart (src/peft/index-free.ts).
   */
  compact?(options: z.output<S>): boolean;
  /**
   * Whether every count of the breakdown is an affine function of the integer option `key` for these options
   * (the other options fixed), with the same parts, warnings and refusals at every value the schema accepts:
   * a sweep over `key` then counts two values and draws the line (src/peft/count-line.ts).
   */
  affine?(options: z.output<S>, key: string): boolean;
}

/** The inventory `formula.count` runs on for `options`: the compact form when the formula allows it, else `inv`. */
export function countedOn(formula: Formula, inv: Inventory, options: unknown): Inventory {
  if (formula.compact === undefined) return inv;
  const compact = compactOf(inv);
  return compact !== undefined && formula.compact(options) ? compact : inv;
}

/** Invalid method options: one message per zod issue, keyed by the option's PEFT name. */
export class OptionsError extends InputError {
  readonly issues: readonly { readonly key: string; readonly message: string }[];
  constructor(method: string, issues: readonly { key: string; message: string }[]) {
    const first = issues[0]!;
    super("INVALID_OPTION", `${method}: ${first.key} ${first.message}`, issues.length > 1 ? issues.slice(1).map((i) => `${i.key} ${i.message}`).join("; ") : undefined);
    this.issues = issues;
  }
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): { key: string; message: string } {
  const key = issue.path.map(String).join(".") || "options";
  let got: unknown = raw;
  for (const p of issue.path) got = got !== null && typeof got === "object" ? (got as Record<PropertyKey, unknown>)[p as PropertyKey] : undefined;
  const shown = JSON.stringify(got);
  const gotText = shown === undefined ? "" : ` (got ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown})`;
  return { key, message: `${issueText(issue)}${gotText}` };
}

/** Our own wording (zod's "mini" build ships no locale): what the value must be. */
function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "number") return issue.minimum === 0 && issue.inclusive ? "must be 0 or more" : issue.minimum === 0 ? "must be positive" : `must be at least ${issue.minimum}`;
      return `must have at least ${issue.minimum} item(s)`;
    case "too_big":
      if (issue.origin === "number")
        return Number(issue.maximum) >= Number.MAX_SAFE_INTEGER ? "must be below 2^53 to be counted exactly" : `must be at most ${issue.maximum}`;
      return `must have at most ${issue.maximum} item(s)`;
    case "invalid_type":
      if (issue.expected === "int") return "must be a whole number";
      return `must be ${issue.expected === "array" ? "a list" : issue.expected === "object" ? "an object" : `a ${issue.expected}`}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union":
      return "has the wrong type";
    case "invalid_format":
      return `must be a valid ${issue.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    default:
      return "is invalid";
  }
}



/**
 * Parsed options per schema, keyed by a canonical encoding of the raw options (optionsKey): a zod parse of a
 * 30-key config costs more than counting it, and sweeps, panels and budgets evaluate the same options again
 * with one knob changed. Zod's parse is a pure function of the input's data, so an equal input gets the
 * equal (deep-frozen, shared) output. Only successful parses are kept; a bounded map per schema.
 */
const PARSED_MAX = 512;
const parsedBySchema = new WeakMap<z.ZodMiniType, Map<string, unknown>>();

/**
 * An injective encoding of plain JSON-like data (null, booleans, numbers with -0 and NaN told apart,
 * strings, arrays, plain objects in key order, undefined), or undefined for anything else (class instances,
 * functions, symbols, bigints, deep or large values), which is then parsed without the memo.
 */
export function optionsKey(raw: unknown): string | undefined {
  let budget = 2000;
  const enc = (v: unknown, depth: number): string | undefined => {
    if (--budget < 0 || depth > 8) return undefined;
    switch (typeof v) {
      case "string":
        return `s${JSON.stringify(v)}`;
      case "number":
        return Object.is(v, -0) ? "d-0" : `d${v}`;
      case "boolean":
        return v ? "t" : "f";
      case "undefined":
        return "u";
      case "object": {
        if (v === null) return "n";
        if (Array.isArray(v)) {
          if (Object.getPrototypeOf(v) !== Array.prototype) return undefined;
          let s = "[";
          for (let i = 0; i < v.length; i++) {
            const e = enc(v[i], depth + 1);
            if (e === undefined) return undefined;
            s += `${e},`;
          }
          return `${s}]`;
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) return undefined;
        let s = "{";
        for (const k of Object.keys(v)) {
          const e = enc((v as Record<string, unknown>)[k], depth + 1);
          if (e === undefined) return undefined;
          s += `${JSON.stringify(k)}:${e},`;
        }
        return `${s}}`;
      }
      default:
        return undefined;
    }
  };
  return enc(raw, 0);
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/**
 * Validate raw options (PEFT keys) against a formula's schema: zod's output (defaults filled in, unknown keys
 * dropped), deep-frozen and shared between equal inputs; throws OptionsError, one message per issue.
 */
export function parseOptions<S extends z.ZodMiniType>(formula: Formula<S>, raw: unknown): z.output<S>;
export function parseOptions(formula: Formula, raw: unknown): unknown {
  const input = raw ?? {};
  const key = optionsKey(input);
  let memo = parsedBySchema.get(formula.schema);
  if (key !== undefined && memo !== undefined) {
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
  }
  const parsed = formula.schema.safeParse(input);
  if (!parsed.success) throw new OptionsError(formula.id, parsed.error.issues.map((i) => describeIssue(i, raw)));
  if (key === undefined || parsed.data === undefined) return parsed.data;
  if (!memo) parsedBySchema.set(formula.schema, (memo = new Map()));
  if (memo.size >= PARSED_MAX) memo.delete(memo.keys().next().value!);
  memo.set(key, deepFreeze(parsed.data));
  return parsed.data;
}

/** Every count a breakdown holds is a safe, non-negative integer (else TOO_LARGE); the formula's caveat is added. */
export function checkedBreakdown(formula: Formula, breakdown: ParamBreakdown): ParamBreakdown {
  const bad = (n: number) => !Number.isSafeInteger(n) || n < 0;
  let wrong: number | undefined;
  if (bad(breakdown.trainable)) wrong = breakdown.trainable;
  else if (bad(breakdown.allParams)) wrong = breakdown.allParams;
  else if (breakdown.activeTrainable !== undefined && bad(breakdown.activeTrainable)) wrong = breakdown.activeTrainable;
  else for (const p of breakdown.parts) if (bad(p.count)) wrong = p.count;
  if (wrong !== undefined)
    throw new InputError("TOO_LARGE", `${formula.id}: the count ${Number.isInteger(wrong) ? "exceeds 2^53" : "is not a whole number"} and cannot be exact`, "check the sizes and options");
  return formula.caveat ? { ...breakdown, warnings: [...breakdown.warnings, formula.caveat] } : breakdown;
}

/** Validate raw options (PEFT keys), then count. */
export function evaluate<S extends z.ZodMiniType>(formula: Formula<S>, inv: Inventory, raw: unknown, ctx?: EvalContext): { options: z.output<S>; breakdown: ParamBreakdown };
export function evaluate(formula: Formula, inv: Inventory, raw: unknown, ctx?: EvalContext): { options: unknown; breakdown: ParamBreakdown };
export function evaluate(formula: Formula, inv: Inventory, raw: unknown, ctx: EvalContext = DEFAULT_CONTEXT): { options: unknown; breakdown: ParamBreakdown } {
  checkRelease(formula, ctx);
  const options = parseOptions(formula, raw);
  return { options, breakdown: checkedBreakdown(formula, formula.count(countedOn(formula, inv, options), options, ctx)) };
}

/** A method the pinned PEFT release does not have is refused, naming the releases that do. */
export function checkRelease(formula: Formula, ctx: EvalContext): void {
  const r = formula.peftVersions;
  if (!r) return;
  const v = formatVersion(ctx.peft);
  if (r.since !== undefined && !atLeast(ctx.peft, r.since))
    throw new InputError("METHOD_NOT_IN_RELEASE", `${formula.id}: peft ${v} does not have ${formula.title} (added in ${r.since})`, `pin --peft-version ${r.since} or newer`);
  if (r.removedIn !== undefined && atLeast(ctx.peft, r.removedIn))
    throw new InputError("METHOD_NOT_IN_RELEASE", `${formula.id}: ${formula.title} was removed in peft ${r.removedIn}`, `pin an older release (e.g. --peft-version 0.17.1) to count it`);
}

/**
 * Descriptions for schema fields (shown by `peftcount schema` and `methods --verbose`). We use zod's
 * tree-shakable "mini" API to keep the bundled CLI small, so metadata goes through the global registry.
 */
export function describe<T extends z.ZodMiniType>(schema: T, description: string): T {
  // A described schema is a new object (so a shared schema keeps no description of its own) that inherits
  // everything from the original: no clone, which would re-run zod's constructors (~7% of a CLI run, most of
  // them at start-up, for hundreds of options).
  return (Object.create(schema) as z.ZodMiniType).register(z.globalRegistry, { description }) as unknown as T;
}

export function descriptionOf(schema: z.ZodMiniType): string {
  return String(z.globalRegistry.get(schema)?.description ?? "");
}

/** Shared option pieces, with PEFT's key names. */
export const nonNegInt = z.int().check(z.nonnegative());
export const stringOrList = z.union([z.string(), z.array(z.string())]);
