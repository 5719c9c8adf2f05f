/**
 * `inspect`: the inventory grouped by name pattern, with shapes, counts, a category total (from the
 * family's declared anatomy, see categories.ts), and which
 * groups PEFT's default `target_modules` and `all-linear` would wrap (computed with the same matching
 * code the counts use, for a LoRA adapter whose task_type is the model's task).
 */
import { modelParams } from "../model/compact.js";
import * as z from "zod/mini";
import { describe } from "../../formulas/types.js";
import { effectiveModulesToSave } from "../peft/tuner.js";
import { InputError } from "../errors.js";
import { taskSchema } from "../model/tasks.js";
import { groupName, numel, type Inventory, type ParamModule } from "../model/types.js";
import { LORA_DEFAULT_TARGETS } from "../peft/defaults.js";
import { moduleTree, type ModuleTree } from "../peft/modules.js";
import { findTargets, targetableNames, type TargetingConfig } from "../peft/targets.js";
import type { ModelRef } from "./build.js";
import { categorizer, CATEGORIES, type Category } from "./categories.js";
import { layerKinds, layerKindsSchema } from "./inspect-layers.js";

const count = z.int().check(z.nonnegative());

export const inspectReportSchema = z.object({
  schemaVersion: z.literal(1),
  model: z.object({ id: z.string(), source: z.string(), modelType: z.string(), modelClass: z.string(), task: taskSchema, baseParams: count, notes: z.array(z.string()) }),
  groups: z.array(
    z.object({
      name: z.string(),
      className: z.string(),
      shape: z.string(),
      category: z.enum(CATEGORIES),
      modules: count,
      paramsEach: count,
      paramsTotal: describe(count, "tied tensors counted once, at their owner"),
      tied: z.boolean(),
      defaultTarget: z.boolean(),
      allLinear: z.boolean(),
    }),
  ),
  categories: z.record(z.enum(CATEGORIES), count),
  targetNames: describe(z.array(z.string()), "names to use in target_modules (Linear, Conv1D, Embedding leaves)"),
  defaultTargetModules: z.nullable(z.array(z.string())),
  layerKinds: z.optional(describe(layerKindsSchema, "totals per layer kind (attention or mixer, dense FFN or experts), from the family's declared anatomy")),
});
export type InspectReport = z.output<typeof inspectReportSchema>;

function shapeOf(m: ParamModule): string {
  if (m.kind === "linear" || m.kind === "conv1d") return `${m.className}(${m.inFeatures} → ${m.outFeatures}, bias=${m.params.some((p) => p.name === "bias")})`;
  if (m.kind === "embedding") return `${m.className}(${m.numEmbeddings}, ${m.embeddingDim})`;
  return `${m.className}(${m.params.map((p) => `${p.name} [${p.shape.join(", ")}]`).join(", ")})`;
}

function targeted(inv: Inventory, tree: ModuleTree, target: TargetingConfig["target_modules"]): Set<string> {
  const cfg: TargetingConfig = {
    target_modules: target,
    exclude_modules: null,
    layers_to_transform: null,
    layers_pattern: null,
    modules_to_save: effectiveModulesToSave(null, inv.task),
    task_type: inv.task,
  };
  try {
    return new Set(findTargets(inv, tree, cfg, "lora", ["linear", "conv1d", "embedding"]).map((m) => m.name));
  } catch (e) {
    if (e instanceof InputError) return new Set();
    throw e;
  }
}

export function buildInspectReport(ref: ModelRef, inv: Inventory): InspectReport {
  const tree = moduleTree(inv.modules);
  const defaults = LORA_DEFAULT_TARGETS[inv.modelType] ?? null;
  const byDefault = defaults ? targeted(inv, tree, defaults) : new Set<string>();
  const byAllLinear = targeted(inv, tree, "all-linear");
  const groups = new Map<string, InspectReport["groups"][number]>();
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  // from the family's declared anatomy; by name only for inventories without one (see categories.ts)
  const categoryOf = categorizer(inv);
  for (const m of inv.modules) {
    const name = groupName(m.name);
    const own = m.params.reduce((s, p) => s + (p.tiedTo === undefined ? numel(p.shape) : 0), 0);
    const category = categoryOf(m);
    categories[category] += own;
    const g = groups.get(name);
    if (g) {
      g.modules++;
      g.paramsTotal += own;
      continue;
    }
    groups.set(name, {
      name,
      className: m.className,
      shape: shapeOf(m),
      category,
      modules: 1,
      paramsEach: m.params.reduce((s, p) => s + numel(p.shape), 0),
      paramsTotal: own,
      tied: m.params.some((p) => p.tiedTo !== undefined),
      defaultTarget: byDefault.has(m.name),
      allLinear: byAllLinear.has(m.name),
    });
  }
  return {
    schemaVersion: 1,
    model: { id: ref.id, source: ref.source, modelType: inv.modelType, modelClass: inv.modelClass, task: inv.task, baseParams: modelParams(inv), notes: [...(inv.notes ?? [])] },
    groups: [...groups.values()],
    categories,
    targetNames: targetableNames(tree),
    defaultTargetModules: defaults ? [...defaults] : null,
    ...(inv.anatomy ? { layerKinds: layerKinds(inv)! } : {}),
  };
}
