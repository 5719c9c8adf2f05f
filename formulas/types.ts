/**
 * The formula contract: one file = one method = one CLI id. A formula has a zod schema whose keys are
 * PEFT's own config keys (an adapter_config.json parses verbatim; unknown keys are dropped), and a pure,
 * total `count` that reads shapes from the inventory and returns exact integers.
 */
import * as z from "zod/mini";
import { InputError } from "../src/errors.js";
import { atLeast, formatVersion } from "../src/versions.js";
import type { Inventory } from "../src/model/types.js";
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



/** Validate raw options (PEFT keys), then count. */
export function evaluate<S extends z.ZodMiniType>(formula: Formula<S>, inv: Inventory, raw: unknown, ctx?: EvalContext): { options: z.output<S>; breakdown: ParamBreakdown };
export function evaluate(formula: Formula, inv: Inventory, raw: unknown, ctx?: EvalContext): { options: unknown; breakdown: ParamBreakdown };
export function evaluate(formula: Formula, inv: Inventory, raw: unknown, ctx: EvalContext = DEFAULT_CONTEXT): { options: unknown; breakdown: ParamBreakdown } {
  checkRelease(formula, ctx);
  const parsed = formula.schema.safeParse(raw ?? {});
  if (!parsed.success) throw new OptionsError(formula.id, parsed.error.issues.map((i) => describeIssue(i, raw)));
  const breakdown = formula.count(inv, parsed.data, ctx);
  const counts = [breakdown.trainable, breakdown.allParams, ...breakdown.parts.map((p) => p.count)];
  if (breakdown.activeTrainable !== undefined) counts.push(breakdown.activeTrainable);
  for (const n of counts)
    if (!Number.isSafeInteger(n) || n < 0)
      throw new InputError("TOO_LARGE", `${formula.id}: the count ${Number.isInteger(n) ? "exceeds 2^53" : "is not a whole number"} and cannot be exact`, "check the sizes and options");
  const withCaveat = formula.caveat ? { ...breakdown, warnings: [...breakdown.warnings, formula.caveat] } : breakdown;
  return { options: parsed.data, breakdown: withCaveat };
}

/** A method the pinned PEFT release does not have is refused, naming the releases that do. */
function checkRelease(formula: Formula, ctx: EvalContext): void {
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
