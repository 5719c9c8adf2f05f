/**
 * `check`: one counted row against the limits a CI job sets. Every limit holds when the value is equal to
 * it; each result says by how much a failing one is over. `target_modules` entries that match no module
 * (PEFT forgives a typo as long as one entry matches) are found with PEFT's rule: a module name equal to the
 * entry or ending with "." + entry (peft tuners_utils.py `check_target_module_exists`). Pure.
 */
import type { Inventory } from "../model/types.js";
import { formatDecimal, percentAtMost, type Decimal } from "../budget/units.js";
import type { CheckSection, LimitResult, SizedRow } from "./gates-schema.js";

export interface Limits {
  readonly maxTrainable?: number | undefined;
  readonly maxPercent?: Decimal | undefined;
  readonly maxPercentOfFull?: Decimal | undefined;
  readonly maxAdapterSize?: number | undefined;
  readonly failOnUnmatchedTargets?: boolean | undefined;
}

export const LIMIT_KEYS = ["maxTrainable", "maxPercent", "maxPercentOfFull", "maxAdapterSize", "failOnUnmatchedTargets"] as const;

/** Every module and container path of the model (what `named_modules()` lists). */
function modulePaths(inv: Inventory): Set<string> {
  const out = new Set<string>();
  for (const m of inv.modules)
    for (const name of [m.name, ...(m.aliases ?? [])])
      for (let i = name.indexOf("."); ; i = name.indexOf(".", i + 1)) {
        out.add(i === -1 ? name : name.slice(0, i));
        if (i === -1) break;
      }
  return out;
}

/** The target_modules entries that match nothing (a regex string counts as one entry); all-linear / null never do. */
export function unmatchedTargets(inv: Inventory, targetModules: unknown): string[] {
  if (targetModules === null || targetModules === undefined || targetModules === "all-linear") return [];
  const paths = [...modulePaths(inv)];
  if (typeof targetModules === "string") {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${targetModules})$`);
    } catch {
      return [];
    }
    return paths.some((p) => re.test(p)) ? [] : [targetModules];
  }
  if (!Array.isArray(targetModules)) return [];
  return targetModules.filter((t): t is string => typeof t === "string" && !paths.some((p) => p === t || p.endsWith(`.${t}`)));
}

const pctOf = (n: number, d: number) => (d === 0 ? 0 : (100 * n) / d);

export function checkLimits(row: SizedRow, limits: Limits, unmatched: readonly string[]): CheckSection {
  const out: LimitResult[] = [];
  const over = (actual: number, max: number) => (actual > max ? { over: actual - max } : {});
  if (limits.maxTrainable !== undefined) {
    const pass = row.trainableParams <= limits.maxTrainable;
    out.push({ limit: "maxTrainable", max: limits.maxTrainable, actual: row.trainableParams, pass, ...over(row.trainableParams, limits.maxTrainable) });
  }
  if (limits.maxPercent !== undefined) {
    const pass = percentAtMost(row.trainableParams, row.allParams, limits.maxPercent);
    const max = Number(formatDecimal(limits.maxPercent));
    out.push({ limit: "maxPercent", max, actual: pctOf(row.trainableParams, row.allParams), pass, ...(pass ? {} : { over: pctOf(row.trainableParams, row.allParams) - max }) });
  }
  if (limits.maxPercentOfFull !== undefined) {
    const pass = percentAtMost(row.trainableParams, row.baseParams, limits.maxPercentOfFull);
    const max = Number(formatDecimal(limits.maxPercentOfFull));
    out.push({ limit: "maxPercentOfFull", max, actual: pctOf(row.trainableParams, row.baseParams), pass, ...(pass ? {} : { over: pctOf(row.trainableParams, row.baseParams) - max }) });
  }
  if (limits.maxAdapterSize !== undefined && row.adapterSize) {
    const bytes = row.adapterSize.bytes;
    out.push({ limit: "maxAdapterSize", max: limits.maxAdapterSize, actual: bytes, pass: bytes <= limits.maxAdapterSize, ...over(bytes, limits.maxAdapterSize) });
  }
  if (limits.failOnUnmatchedTargets) out.push({ limit: "failOnUnmatchedTargets", max: true, actual: [...unmatched], pass: unmatched.length === 0 });
  return { pass: out.every((l) => l.pass), limits: out };
}
