/** Small helpers shared by the family tests. */
import type { RawConfig } from "../../src/model/config.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Task } from "../../src/model/tasks.js";
import { groupName, totalParams, type Inventory } from "../../src/model/types.js";
import type { Version } from "../../src/versions.js";

export const total = (inv: Inventory) => totalParams(inv.modules);
export const mod = (inv: Inventory, name: string) => inv.modules.find((m) => m.name === name);
/** Default: the newest transformers release; pass `transformers` where a test describes another one. */
export const build = (raw: RawConfig, task: Task = "CAUSAL_LM", numLabels?: number, transformers?: Version) => buildInventory(raw, { task, numLabels, transformers });
export const T4: Version = [4, 43, 3];
export const T5: Version = [5, 18, 0];

/** The error `f` throws (the test fails if it throws none). */
export function errorOf(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error("expected an error");
}

/** One line per module group, in first-seen order: the format the oracle's `modules_with_params` was condensed to. */
export function groups(inv: Inventory): string[] {
  const seen = new Map<string, { line: string; count: number }>();
  for (const m of inv.modules) {
    const key = groupName(m.name);
    const g = seen.get(key);
    if (g) {
      g.count++;
      continue;
    }
    let shape: string;
    if (m.kind === "linear") shape = `${m.inFeatures}->${m.outFeatures}${m.params.some((p) => p.name === "bias") ? "+b" : ""}`;
    else if (m.kind === "embedding") shape = `${m.numEmbeddings}x${m.embeddingDim}`;
    else shape = m.params.map((p) => `${p.name}[${p.shape.join(",")}]`).join(" ");
    const tied = m.params.some((p) => p.tiedTo !== undefined) ? " tied" : "";
    seen.set(key, { line: `${key} ${m.className} ${shape}${tied}`, count: 1 });
  }
  return [...seen.values()].map(({ line, count }) => line.replace(/( tied)?$/, ` x${count}$1`));
}
