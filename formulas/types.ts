/**
 * The formula contract: one file = one method = one CLI id. A formula has a zod schema whose keys are
 * PEFT's own config keys (an adapter_config.json parses verbatim; unknown keys are dropped), and a pure,
 * total `count` that reads shapes from the inventory and returns exact integers.
 */
import { z } from "zod";
import { InputError } from "../src/errors.js";
import type { Inventory } from "../src/model/types.js";
import type { ParamBreakdown } from "../src/peft/apply.js";

export type { ParamBreakdown, Part } from "../src/peft/apply.js";

export interface Formula<S extends z.ZodType = z.ZodType> {
  readonly id: string;
  readonly title: string;
  readonly paper: string;
  /** `peft_type` of an adapter_config.json this formula reads, if any */
  readonly peftType: string | null;
  /** the count in one line, for `methods --verbose` and the README */
  readonly expression: string;
  readonly schema: S;
  /** pure and total; method syntax so any formula is a `Formula` */
  count(inv: Inventory, options: z.output<S>): ParamBreakdown;
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
  const message =
    issue.code === "too_small" && issue.origin === "number"
      ? `must be ${issue.minimum === 0 && issue.inclusive ? "0 or more" : "positive"}`
      : issue.code === "invalid_type" && issue.expected === "int"
        ? "must be a whole number"
        : issue.code === "too_big" && issue.origin === "number"
          ? `must be at most ${issue.maximum}`
          : issue.message.replace(/^Invalid input: /, "");
  return { key, message: `${message}${gotText}` };
}

/** Validate raw options (PEFT keys), then count. */
export function evaluate<S extends z.ZodType>(formula: Formula<S>, inv: Inventory, raw: unknown): { options: z.output<S>; breakdown: ParamBreakdown };
export function evaluate(formula: Formula, inv: Inventory, raw: unknown): { options: unknown; breakdown: ParamBreakdown };
export function evaluate(formula: Formula, inv: Inventory, raw: unknown): { options: unknown; breakdown: ParamBreakdown } {
  const parsed = formula.schema.safeParse(raw ?? {});
  if (!parsed.success) throw new OptionsError(formula.id, parsed.error.issues.map((i) => describeIssue(i, raw)));
  const breakdown = formula.count(inv, parsed.data);
  for (const n of [breakdown.trainable, breakdown.allParams])
    if (!Number.isSafeInteger(n) || n < 0)
      throw new InputError("TOO_LARGE", `${formula.id}: the count exceeds 2^53 and cannot be exact`, "check the sizes and options");
  return { options: parsed.data, breakdown };
}

/** Shared option pieces, with PEFT's key names. */
export const nonNegInt = z.number().int().nonnegative();
export const stringOrList = z.union([z.string(), z.array(z.string())]);
