/** Small helpers shared by the family tests. */
import type { RawConfig } from "../../src/model/config.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams, type Inventory } from "../../src/model/types.js";

export const total = (inv: Inventory) => totalParams(inv.modules);
export const mod = (inv: Inventory, name: string) => inv.modules.find((m) => m.name === name);
export const build = (raw: RawConfig, task: Task = "CAUSAL_LM", numLabels?: number) => buildInventory(raw, { task, numLabels });

/** The error `f` throws (the test fails if it throws none). */
export function errorOf(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error("expected an error");
}
