/**
 * Every architecture in tests/golden/inventories.json (what transformers 4.43.3 instantiates, copied
 * from ../shared/reference) must come out of our inventory builder module for module: same names,
 * classes of layer, shapes, counts, tying, and total.
 */
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { buildInventory, familyOf } from "../../src/model/inventory.js";
import { groupName, numel } from "../../src/model/types.js";
import type { Task } from "../../src/model/tasks.js";

interface RefGroup {
  type: string;
  in?: number;
  out?: number;
  bias?: boolean;
  num_embeddings?: number;
  dim?: number;
  count: number;
  params_total: number;
  tied_params?: string[];
}
interface RefEntry {
  task: string;
  model_class: string;
  model: Record<string, unknown> & { model_type: string };
  total_params: number;
  modules_with_params: Record<string, RefGroup>;
  linear_like_modules: string[];
  output_embeddings: string | null;
}

const TASK: Record<string, Task> = { causal_lm: "CAUSAL_LM", seq_cls: "SEQ_CLS", base: "FEATURE_EXTRACTION", seq2seq_lm: "SEQ_2_SEQ_LM" };
const ref = JSON.parse(readFileSync(new URL("../golden/inventories.json", import.meta.url), "utf8")) as Record<string, RefEntry>;
const entries = Object.entries(ref).filter(([k]) => !k.startsWith("_"));

/** Our inventory summarised the way the reference groups it. */
function summarise(key: string) {
  const e = ref[key]!;
  const inv = buildInventory(e.model, { task: TASK[e.task]!, expertLayout: "per-expert" });
  const groups: Record<string, { count: number; total: number; in?: number; out?: number; kind: string; tied: boolean }> = {};
  for (const m of inv.modules) {
    const g = (groups[groupName(m.name)] ??= { count: 0, total: 0, kind: m.kind, tied: false });
    g.count++;
    for (const p of m.params) if (p.tiedTo === undefined) g.total += numel(p.shape);
    if (m.params.some((p) => p.tiedTo !== undefined)) g.tied = true;
    if (m.inFeatures !== undefined) g.in = m.inFeatures;
    if (m.outFeatures !== undefined) g.out = m.outFeatures;
    if (m.numEmbeddings !== undefined) g.in = m.numEmbeddings;
    if (m.embeddingDim !== undefined) g.out = m.embeddingDim;
  }
  return { inv, groups };
}

describe.each(entries.filter(([, e]) => familyOf(e.model.model_type)))("%s", (key, e) => {
  test("total equals what transformers instantiates", () => {
    const { inv } = summarise(key);
    let total = 0;
    for (const m of inv.modules) for (const p of m.params) if (p.tiedTo === undefined) total += numel(p.shape);
    expect(total).toBe(e.total_params);
    expect(inv.modelClass).toBe(e.model_class);
    expect(inv.outputEmbeddings ?? null).toBe(e.output_embeddings);
  });

  test("module groups match name for name", () => {
    const { groups } = summarise(key);
    // T5-style groups merge different depths (`layer.*`), so compare on the reference's grouping.
    const ours = Object.fromEntries(
      Object.entries(groups).map(([name, g]) => [name, { count: g.count, total: g.total, tied: g.tied, in: g.in, out: g.out }]),
    );
    const theirs = Object.fromEntries(
      Object.entries(e.modules_with_params).map(([name, g]) => [
        name,
        {
          count: g.count,
          total: g.params_total,
          tied: (g.tied_params ?? []).length > 0,
          in: g.in ?? g.num_embeddings,
          out: g.out ?? g.dim,
        },
      ]),
    );
    expect(ours).toEqual(theirs);
  });

  test("linear-like modules are the ones PEFT's all-linear starts from", () => {
    const { inv } = summarise(key);
    const ours = [...new Set(inv.modules.filter((m) => m.kind === "linear" || m.kind === "conv1d").map((m) => groupName(m.name)))].sort();
    expect(ours).toEqual([...e.linear_like_modules].sort());
  });
});
