/**
 * The model inventory: every parameter-holding module transformers builds, with its exact path
 * (as `model.named_modules()` yields it), its class and the shapes of its own parameters.
 * Methods never hard-code architectures: they match these names with PEFT's rules.
 */
import { InputError } from "../errors.js";
import type { Anatomy } from "./anatomy.js";
import type { Task } from "./tasks.js";

/** What PEFT and our formulas need to know about a module's kind. */
export type ModuleKind = ParamModule["kind"];

export interface ParamSpec {
  /** Parameter name inside its module: `weight`, `bias`, `relative_attention_bias.weight` is a module+param. */
  readonly name: string;
  readonly shape: readonly number[];
  /** Full name of the parameter this one is the same tensor as (tied); counted once, at the owner. */
  readonly tiedTo?: string;
}

interface ModuleBase {
  /** Full dotted path, e.g. `model.layers.7.self_attn.k_proj`. */
  readonly name: string;
  /** transformers class name: `Linear`, `Conv1D`, `LlamaRMSNorm`, `FalconLinear`, ... */
  readonly className: string;
  readonly params: readonly ParamSpec[];
  /**
   * Other paths under which the very same module object is reachable (e.g. T5's `encoder.embed_tokens`
   * is `shared`). `named_modules()` yields it once; `named_modules(remove_duplicate=False)` under each name.
   */
  readonly aliases?: readonly string[];
}

/** nn.Linear or transformers' Conv1D (which stores its weight [in, out]). */
export interface LinearModule extends ModuleBase {
  readonly kind: "linear" | "conv1d";
  readonly inFeatures: number;
  readonly outFeatures: number;
}

/** nn.Embedding: rows and width. */
export interface EmbeddingModule extends ModuleBase {
  readonly kind: "embedding";
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
}

/** Norms and any other module that owns parameters directly. */
export interface OtherModule extends ModuleBase {
  readonly kind: "norm" | "other";
}

/** One parameter-holding module, keyed on `kind`. */
export type ParamModule = LinearModule | EmbeddingModule | OtherModule;

/** The features of a Linear / Conv1D module; any other kind is refused (the method cannot wrap it). */
export function featuresOf(m: ParamModule): LinearModule {
  if (m.kind === "linear" || m.kind === "conv1d") return m;
  throw new InputError("UNSUPPORTED_TARGET", `module ${m.name} (${m.className}) is a ${m.kind} module, not a Linear or Conv1D layer`, "leave this module out of the targets");
}

/** The shape of an Embedding module; any other kind is refused. */
export function embeddingOf(m: ParamModule): EmbeddingModule {
  if (m.kind === "embedding") return m;
  throw new InputError("UNSUPPORTED_TARGET", `module ${m.name} (${m.className}) is a ${m.kind} module, not an Embedding`, "leave this module out of the targets");
}

/** Architecture dimensions, HF config keys camelCased. */
export interface ModelDims {
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly numKeyValueHeads: number;
  readonly headDim: number;
  readonly intermediateSize: number;
  readonly vocabSize: number;
  readonly tieWordEmbeddings: boolean;
  readonly isEncoderDecoder: boolean;
  /** decoder stack depth for encoder-decoder models */
  readonly numDecoderLayers?: number;
  readonly maxPositionEmbeddings?: number;
  /** MoE: routed experts per MoE layer and how many a token uses */
  readonly numLocalExperts?: number;
  readonly numExpertsPerTok?: number;
}

export interface Inventory {
  readonly modelType: string;
  readonly task: Task;
  /** transformers class that is instantiated, e.g. `LlamaForCausalLM` */
  readonly modelClass: string;
  readonly modules: readonly ParamModule[];
  readonly dims: ModelDims;
  /** Path of `get_input_embeddings()`. */
  readonly inputEmbeddings: string;
  /** Path of `get_output_embeddings()` (the LM head), absent for heads without one. */
  readonly outputEmbeddings?: string;
  /** Path prefix of the repeated decoder/encoder blocks (`model.layers`), for layer_replication. */
  readonly layersPath?: string;
  /**
   * Modules whose weights are expert copies: name pattern → experts per token share, for the
   * "active parameters" view of MoE models.
   */
  readonly experts?: { readonly pattern: RegExp; readonly perToken: number; readonly total: number };
  /**
   * The config dict the model was built from (the language model's, for multimodal configs), as given:
   * PEFT's prompt-learning setup reads keys from it (`num_key_value_heads`, `num_layers`, ...).
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Where attention, feed-forward, norms, embeddings and the head sit, as the family declares it. */
  readonly anatomy?: Anatomy;
  /** Free-form notes to show the user (e.g. "positions offset by 2"). */
  readonly notes?: readonly string[];
  /** Model transforms applied to this inventory (`--transform`, src/model/transforms), in order. */
  readonly transforms?: readonly { readonly name: string; readonly text: string; readonly summary: string }[];
}

/**
 * A repeated block of a compact module list (compact.ts): `${base}.${i}` for i < count, listed once as `${base}.0`;
 * `outer`: the block it sits in, itself repeated (the experts of a layer of identical layers).
 */
export interface Repeat {
  readonly base: string;
  readonly count: number;
  readonly outer?: Repeat;
}

/** The repeat an entry of a compact list stands for (a hidden field), if any. */
export function repeatOf(m: ParamModule): Repeat | undefined {
  return (m as { readonly repeat?: Repeat }).repeat;
}

/** How many modules an entry stands for: the product of its repeats' counts, else 1 (every entry of a full list). */
export function weightOf(m: ParamModule): number {
  let w = 1;
  for (let r = (m as { readonly repeat?: Repeat }).repeat; r !== undefined; r = r.outer) w *= r.count;
  return w;
}

/** Number of elements of a shape, checked to stay exact. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Own parameter count of a module, tied parameters included. */
export function moduleParams(m: ParamModule): number {
  let n = 0;
  for (const p of m.params) n += numel(p.shape);
  return n;
}

/** Parameters of the model as `named_parameters()` counts them: tied tensors once (a compact entry × its weight). */
export function totalParams(modules: readonly ParamModule[]): number {
  let n = 0;
  // modules of one shape share their parameter list (builder.ts): each list is summed once
  const sums = new Map<readonly ParamSpec[], number>();
  for (const m of modules) {
    let own = sums.get(m.params);
    if (own === undefined) {
      own = 0;
      for (const p of m.params) if (p.tiedTo === undefined) own += numel(p.shape);
      sums.set(m.params, own);
    }
    n += own * weightOf(m);
  }
  return n;
}

/** Pattern name of a module path, layer and expert indices replaced by `*`. */
export function groupName(path: string): string {
  return path.replace(/\.\d+(?=\.|$)/g, ".*");
}
