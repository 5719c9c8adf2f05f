import type { RawConfig } from "../config.js";
import type { Task } from "../tasks.js";

/** A built-in model: its config.json values and the published parameter count, with provenance. */
export interface Preset {
  /** short id, e.g. `llama-2-7b` */
  readonly id: string;
  /** Hugging Face repo id(s), accepted as aliases, e.g. `meta-llama/Llama-2-7b-hf` */
  readonly aliases: readonly string[];
  /** the config.json (verbatim where a verbatim copy exists; only the keys that matter otherwise) */
  readonly config: RawConfig;
  /** parameters of the model as published, for the head `publishedTask` (default: the family's natural head) */
  readonly publishedParams: number;
  /** the head the published count refers to, when it is not the family's default (encoders: the bare model) */
  readonly publishedTask?: Task;
  /** where `publishedParams` comes from */
  readonly source: string;
  /** where the config values come from */
  readonly configSource: string;
  /** e.g. why the published number differs from a rounded headline figure */
  readonly note?: string;
}
