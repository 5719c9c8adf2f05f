/**
 * `config.json` → Inventory: find the family for `model_type` (descending into `text_config` for
 * multimodal configs), pick the head, build the module list.
 */
import { didYouMean, InputError } from "../errors.js";
import { DEFAULT_VERSIONS, formatVersion, type Version } from "../versions.js";
import { ConfigReader, numLabelsOf, type RawConfig } from "./config.js";
import { tasksOf, type ExpertLayout, type Family } from "./family.js";
import { fromCompact } from "./compact.js";
import { FAMILIES } from "./families/index.js";
import { TASKS, type Task } from "./tasks.js";
import type { Inventory } from "./types.js";

export interface InventoryOptions {
  /** head to build; default: the family's natural one */
  readonly task?: Task | undefined;
  /** overrides `num_labels` / `id2label` of the config */
  readonly numLabels?: number | undefined;
  /** default: "per-expert" for transformers 4.x, "fused" from transformers 5 */
  readonly expertLayout?: ExpertLayout | undefined;
  /** the transformers release whose module tree to build (default: the newest) */
  readonly transformers?: Version | undefined;
}

export function supportedModelTypes(): string[] {
  return FAMILIES.flatMap((f) => f.modelTypes).sort();
}

export function familyOf(modelType: string): Family | undefined {
  return FAMILIES.find((f) => f.modelTypes.includes(modelType));
}

/** Model types whose config nests the language model (which is what we build) under `text_config`. */
const TEXT_CONFIG_MODEL_TYPES: Record<string, string> = { gemma3: "gemma3_text", llama4: "llama4_text" };

function resolveConfig(raw: RawConfig): { cfg: ConfigReader; note?: string } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new InputError("INVALID_CONFIG", "config.json must be a JSON object", "pass a Hugging Face config.json");
  const modelType = raw["model_type"];
  if (typeof modelType !== "string" || modelType === "")
    throw new InputError("INVALID_CONFIG", 'config.json has no "model_type"', `add "model_type"; supported: ${supportedModelTypes().join(", ")}`);
  const top = new ConfigReader(raw, modelType);
  const textType = TEXT_CONFIG_MODEL_TYPES[modelType];
  if (textType !== undefined || (!familyOf(modelType) && top.has("text_config"))) {
    const inner = top.sub("text_config", textType ?? modelType);
    const innerType = inner?.raw["model_type"];
    const type = typeof innerType === "string" ? innerType : textType;
    if (inner && type && familyOf(type)) {
      return { cfg: new ConfigReader(inner.raw, type, "config.json text_config"), note: `${modelType}: counting the language model (text_config, ${type}); vision tower and projector are not included` };
    }
  }
  return { cfg: top };
}

export function buildInventory(raw: RawConfig, options: InventoryOptions = {}): Inventory {
  const { cfg, note } = resolveConfig(raw);
  const family = familyOf(cfg.modelType);
  if (!family) {
    const supported = supportedModelTypes();
    throw new InputError(
      "UNSUPPORTED_MODEL_TYPE",
      `model_type "${cfg.modelType}" is not supported`,
      `${didYouMean(cfg.modelType, supported)}supported model types: ${supported.join(", ")}`,
    );
  }
  const task = options.task ?? family.defaultTask;
  const transformers = options.transformers ?? DEFAULT_VERSIONS.transformers;
  const tasks = tasksOf(family, cfg.modelType, transformers);
  if (!tasks.includes(task))
    throw new InputError(
      "UNSUPPORTED_TASK",
      `transformers ${formatVersion(transformers)} has no ${task} head for model_type "${cfg.modelType}"`,
      `use --task ${tasks.join(" | ")} (all tasks: ${TASKS.join(", ")})`,
    );
  const numLabels = options.numLabels ?? numLabelsOf(cfg, family.defaultNumLabels);
  const expertLayout = options.expertLayout ?? (transformers[0] < 5 ? "per-expert" : "fused");
  const built = family.build(cfg, { task, numLabels, expertLayout, transformers });
  const inv = { ...built, config: cfg.raw };
  // a family that lists repeated experts once (builder.ts `repeat`) gives the compact list: expand it lazily
  return fromCompact(note ? { ...inv, notes: [...(inv.notes ?? []), note] } : inv);
}
