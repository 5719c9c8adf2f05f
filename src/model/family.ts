/** What a model family file provides: which `model_type`s it builds, which heads, and the builder. */
import type { ConfigReader } from "./config.js";
import { atLeast, DEFAULT_VERSIONS, type Version } from "../versions.js";
import type { Task } from "./tasks.js";
import type { Inventory } from "./types.js";

/**
 * How MoE experts are laid out. transformers ≤ 4.5x built one `nn.Linear` per expert
 * (`experts.3.w1`), which PEFT can target one by one; newer transformers fuse them into 3-D
 * parameters that `target_modules` cannot match as Linear modules.
 */
export const EXPERT_LAYOUTS = ["per-expert", "fused"] as const;
export type ExpertLayout = (typeof EXPERT_LAYOUTS)[number];

export interface BuildOptions {
  readonly task: Task;
  readonly numLabels: number;
  readonly expertLayout: ExpertLayout;
  /** the transformers release whose module tree to build */
  readonly transformers: Version;
}

export interface Family {
  /** transformers `model_type` values this family builds */
  readonly modelTypes: readonly string[];
  /** heads that transformers provides for it */
  readonly tasks: readonly Task[];
  /** per model_type, where a model type of the family has fewer heads than `tasks` (newest transformers) */
  readonly tasksByType?: Readonly<Record<string, readonly Task[]>>;
  /** per model_type, heads that transformers only has from a release on (e.g. `{ QUESTION_ANS: "4.47.0" }`) */
  readonly tasksSince?: Readonly<Record<string, Partial<Record<Task, string>>>>;
  readonly defaultTask: Task;
  /** `num_labels` of the config class when neither num_labels nor id2label is set (2 unless stated) */
  readonly defaultNumLabels?: number;
  build(cfg: ConfigReader, opts: BuildOptions): Inventory;
}

/** The heads transformers provides for this model_type (in release `transformers`, default the newest). */
export function tasksOf(family: Family, modelType: string, transformers: Version = DEFAULT_VERSIONS.transformers): readonly Task[] {
  const all = family.tasksByType?.[modelType] ?? family.tasks;
  const since = family.tasksSince?.[modelType];
  return since ? all.filter((t) => since[t] === undefined || atLeast(transformers, since[t])) : all;
}
