/**
 * Every architecture in tests/golden/inventories.json (what transformers 4.43.3 instantiates, copied from
 * ../shared/reference) and tests/golden/inventories-5.json (what transformers 5.18.0 instantiates,
 * `oracle batch --inventory`) must come out of our inventory builder, for that release, module for module:
 * same names in the same `named_modules()` order, classes, shapes, counts, tying, and total.
 */
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { buildInventory, familyOf } from "../../src/model/inventory.js";
import { groupName, numel } from "../../src/model/types.js";
import type { Task } from "../../src/model/tasks.js";
import type { Version } from "../../src/versions.js";

interface RefGroup {
  type: string;
  in?: number;
  out?: number;
  bias?: boolean;
  num_embeddings?: number;
  dim?: number;
  params?: Record<string, number[]>;
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

const TASK: Record<string, Task> = {
  causal_lm: "CAUSAL_LM",
  seq_cls: "SEQ_CLS",
  token_cls: "TOKEN_CLS",
  qa: "QUESTION_ANS",
  base: "FEATURE_EXTRACTION",
  seq2seq_lm: "SEQ_2_SEQ_LM",
};

const load = (file: string) => JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8")) as Record<string, RefEntry>;

/** Our inventory summarised the way the reference groups it (first-seen order kept). */
function summarise(e: RefEntry, transformers: Version) {
  const inv = buildInventory(e.model, { task: TASK[e.task]!, transformers });
  const groups = new Map<string, { type: string; count: number; total: number; tied: boolean; in?: number; out?: number; bias?: boolean; params?: Record<string, number[]> }>();
  for (const m of inv.modules) {
    const key = groupName(m.name);
    let g = groups.get(key);
    if (!g) {
      g = { type: m.className, count: 0, total: 0, tied: false };
      if (m.kind === "linear" || m.kind === "conv1d") [g.in, g.out] = [m.inFeatures, m.outFeatures];
      if (m.kind === "embedding") [g.in, g.out] = [m.numEmbeddings, m.embeddingDim];
      if (m.kind === "linear" || m.kind === "conv1d") g.bias = m.params.some((p) => p.name === "bias");
      if (m.kind === "norm" || m.kind === "other") g.params = Object.fromEntries(m.params.map((p) => [p.name, [...p.shape]]));
      groups.set(key, g);
    }
    g.count++;
    for (const p of m.params) if (p.tiedTo === undefined) g.total += numel(p.shape);
    if (m.params.some((p) => p.tiedTo !== undefined)) g.tied = true;
  }
  return { inv, groups };
}

function theirs(g: RefGroup) {
  return {
    type: g.type,
    count: g.count,
    total: g.params_total,
    tied: (g.tied_params ?? []).length > 0,
    in: g.in ?? g.num_embeddings,
    out: g.out ?? g.dim,
    ...(g.bias !== undefined ? { bias: g.bias } : {}),
    ...(g.params ? { params: g.params } : {}),
  };
}

for (const [file, transformers] of [
  ["../golden/inventories.json", [4, 43, 3]],
  ["../golden/inventories-5.json", [5, 18, 0]],
] as const) {
  const ref = load(file);
  const entries = Object.entries(ref).filter(([k, e]) => !k.startsWith("_") && familyOf(e.model.model_type));

  describe.each(entries)(`transformers ${transformers.join(".")}: %s`, (_key, e) => {
    test("total, model class and output embedding equal what transformers instantiates", () => {
      const { inv } = summarise(e, transformers);
      let total = 0;
      for (const m of inv.modules) for (const p of m.params) if (p.tiedTo === undefined) total += numel(p.shape);
      expect(total).toBe(e.total_params);
      expect(inv.modelClass).toBe(e.model_class);
      expect(inv.outputEmbeddings ?? null).toBe(e.output_embeddings);
    });

    test("module groups match name for name, in named_modules() order", () => {
      const { groups } = summarise(e, transformers);
      const ref = Object.entries(e.modules_with_params).map(([name, g]) => [name, theirs(g)] as const);
      // bias flags and own-parameter shapes are compared where the reference records them
      const ours = [...groups].map(([name, g], i) => {
        const t = ref[i]?.[1] ?? {};
        const { bias, params, ...row } = g;
        return [name, { ...row, ...("bias" in t ? { bias } : {}), ...("params" in t ? { params } : {}) }] as const;
      });
      expect(ours).toEqual(ref);
    });

    test("linear-like modules are the ones PEFT's all-linear starts from", () => {
      const { inv } = summarise(e, transformers);
      const ours = [...new Set(inv.modules.filter((m) => m.kind === "linear" || m.kind === "conv1d").map((m) => groupName(m.name)))].sort();
      expect(ours).toEqual([...e.linear_like_modules].sort());
    });
  });
}
