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
  /** mixture-of-experts models: the publisher's total and active figures, as stated (usually rounded) */
  readonly moe?: PublishedMoe;
}

/** A publisher's MoE figures and how to read them (model cards round, truncate, and count embeddings differently). */
export interface PublishedMoe {
  /** total parameters as published (e.g. 46.7e9); undefined when the figure covers parts peftcount does not build (a vision encoder) */
  readonly total?: number;
  /** active parameters per token as published (e.g. 12.9e9) */
  readonly active: number;
  /** the last digit the figures state (1e8 for "46.7B") */
  readonly unit: number;
  /** "nearest": rounded; "truncated": the digits after `unit` were dropped (Qwen3's 3.35B → "3.3B") */
  readonly rounding: "nearest" | "truncated";
  /** when the active figure is read differently from the total (Granite: 3.3B rounded, "800M" truncated) */
  readonly activeRounding?: "nearest" | "truncated";
  /** which of our two active counts the published one is: with the input-embedding matrix or without it */
  readonly activeConvention: "with-embedding" | "without-embedding";
  /** where the figures are published */
  readonly url: string;
}
