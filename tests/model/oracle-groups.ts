/**
 * Compares an inventory with `oracle inventory` output (transformers 5.18.0 instantiating the config): modules
 * grouped by name pattern (layer and expert indices as `*`) in order of first appearance, each with its class,
 * parameter shapes, how many modules share the pattern and which parameters are tied; the total; the
 * Linear-like patterns (what all-linear can reach).
 */
import { readFileSync } from "node:fs";
import { groupName, type Inventory, totalParams } from "../../src/model/types.js";

export type OracleGroup = readonly [name: string, className: string, params: Record<string, readonly number[]>, count: number, tied?: readonly string[]];

export interface OracleInventory {
  readonly modelClass: string;
  readonly total: number;
  readonly linears: readonly string[];
  readonly groups: readonly OracleGroup[];
}

/** The inventory in the oracle's terms, for `expect(asOracle(inv)).toEqual(expected)`. */
export function asOracle(inv: Inventory): OracleInventory {
  const byGroup = new Map<string, { className: string; params: Record<string, readonly number[]>; count: number; tied: string[] }>();
  for (const m of inv.modules) {
    const g = groupName(m.name);
    const seen = byGroup.get(g);
    if (seen) seen.count++;
    else
      byGroup.set(g, {
        className: m.className,
        params: Object.fromEntries(m.params.map((p) => [p.name, [...p.shape]])),
        count: 1,
        tied: m.params.filter((p) => p.tiedTo !== undefined).map((p) => p.name),
      });
  }
  return {
    modelClass: inv.modelClass,
    total: totalParams(inv.modules),
    linears: [...new Set(inv.modules.filter((m) => m.kind === "linear" || m.kind === "conv1d").map((m) => groupName(m.name)))].sort(),
    groups: [...byGroup].map(([name, g]) => (g.tied.length > 0 ? [name, g.className, g.params, g.count, g.tied] : [name, g.className, g.params, g.count])),
  };
}

/** The modern golden vectors (tests/golden/modern.json) of a model type, by id, sorted: pinned so coverage cannot shrink silently. */
export function modernVectorIds(modelType: string): string[] {
  const text = readFileSync(new URL("../golden/modern.json", import.meta.url), "utf8").replace(/(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g, "null");
  return (JSON.parse(text) as { id: string; model: { model_type?: string } }[]).filter((v) => v.model.model_type === modelType).map((v) => v.id).sort();
}
