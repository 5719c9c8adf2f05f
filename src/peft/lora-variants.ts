/**
 * The tensors LoRA adds to one wrapped module, per LoRA variant (peft src/peft/tuners/lora/layer.py
 * `update_layer` + `resolve_lora_variant`, src/peft/tuners/lora/variants.py `<Variant>.init`):
 * - Linear / Conv1D: lora_A r·in, lora_B out·r (+ out with lora_bias); Embedding: lora_embedding_A r·vocab,
 *   lora_embedding_B dim·r.
 * - use_dora: + out (the embedding width) magnitude vector.
 * - kasa_config (KaSA, peft ≥ 0.21): + lora_diag r. nn.Linear only: Conv1D (fan_in_fan_out) is refused, and
 *   r must stay below min(in, out) (the SVD truncation of the base weight keeps at least one component).
 * - monteclora_config (MonteCLoRA, peft ≥ 0.20): + a sampler with std_prior r and expert_weights_prior num_samples
 *   (its gaussian_var_prior / expert_weights are buffers).
 * - use_bdlora (BD-LoRA, peft ≥ 0.19): a module whose full name contains a `target_modules_bd_a` pattern gets a
 *   block-diagonal lora_A (r × in/nblocks), one matching `target_modules_bd_b` a block-diagonal lora_B
 *   (out × r/nblocks, no bias even with lora_bias); both, or neither with match_strict, is PEFT's error; the
 *   blocked dimensions must divide by nblocks. nn.Linear only (PEFT fails on Conv1D).
 * - init_lora_weights="mica" (MiCA, peft ≥ 0.20): lora_B (lora_embedding_B) exists but stays frozen.
 * - alora_invocation_tokens (aLoRA, peft ≥ 0.18) and velora_config (VeLoRA, peft ≥ 0.20): no parameter (VeLoRA's
 *   projection is a buffer). arrow_config (peft ≥ 0.18) is built by create_arrow_model from trained adapters: refused.
 * One variant per adapter: any two together are PEFT's "Invalid or unsupported variant combination"; Embedding
 * layers take only DoRA and MiCA. A release older than a variant's drops its key, as PEFT's config loader does.
 */
import { InputError } from "../errors.js";
import { featuresOf, type ParamModule } from "../model/types.js";
import { atLeast, formatVersion, type Versions } from "../versions.js";

export interface BdLoraConfig {
  readonly target_modules_bd_a: readonly string[] | null;
  readonly target_modules_bd_b: readonly string[] | null;
  readonly nblocks: number;
  readonly match_strict: boolean;
}

/** The LoRA keys the variants read (PEFT's names). */
export interface VariantOptions {
  readonly lora_bias: boolean;
  readonly use_dora: boolean;
  readonly init_lora_weights: boolean | string;
  readonly use_bdlora: BdLoraConfig | null;
  readonly kasa_config: object | null;
  readonly monteclora_config: { readonly num_samples: number } | null;
  readonly velora_config: object | null;
  readonly alora_invocation_tokens: readonly number[] | null;
  readonly arrow_config: object | null;
}

export type VariantKey = "alora_invocation_tokens" | "arrow_config" | "kasa_config" | "mica" | "monteclora_config" | "use_bdlora" | "use_dora" | "velora_config";

/** PEFT's variant names (sorted, as its mapping keys), whether the options request each, and the release that added it. */
const VARIANTS: readonly { readonly key: VariantKey; readonly since: string; on(o: VariantOptions): boolean }[] = [
  { key: "alora_invocation_tokens", since: "0.18.0", on: (o) => (o.alora_invocation_tokens ?? []).length > 0 },
  { key: "arrow_config", since: "0.18.0", on: (o) => o.arrow_config !== null },
  { key: "kasa_config", since: "0.21.0", on: (o) => o.kasa_config !== null },
  { key: "mica", since: "0.20.0", on: (o) => o.init_lora_weights === "mica" },
  { key: "monteclora_config", since: "0.20.0", on: (o) => o.monteclora_config !== null },
  { key: "use_bdlora", since: "0.19.0", on: (o) => o.use_bdlora !== null },
  { key: "use_dora", since: "0.17.0", on: (o) => o.use_dora },
  { key: "velora_config", since: "0.20.0", on: (o) => o.velora_config !== null },
];

const NEUTRAL: Readonly<Partial<Record<VariantKey, object>>> = {
  alora_invocation_tokens: { alora_invocation_tokens: null },
  arrow_config: { arrow_config: null },
  kasa_config: { kasa_config: null },
  monteclora_config: { monteclora_config: null },
  use_bdlora: { use_bdlora: null },
  velora_config: { velora_config: null },
};

/**
 * The options as the chosen PEFT release reads them, after LoraConfig's own refusals: a variant key newer than
 * the release is dropped with a warning (MiCA, an init_lora_weights value, is an error there).
 */
export function resolveVariants<O extends VariantOptions>(o: O, ctx: Versions, warnings: string[]): { readonly options: O; readonly variants: readonly VariantKey[] } {
  let options = o;
  for (const v of VARIANTS)
    if (v.on(o) && !atLeast(ctx.peft, v.since)) {
      if (v.key === "mica")
        throw new InputError("UNSUPPORTED_OPTION", `lora: init_lora_weights="mica" needs peft ${v.since} or newer (peft ${formatVersion(ctx.peft)} raises "Unknown initialization")`, `count with --peft-version ${v.since} or newer, or use another init_lora_weights`);
      options = { ...options, ...NEUTRAL[v.key] };
      warnings.push(`${v.key} is ignored by peft ${formatVersion(ctx.peft)} (added in ${v.since}); counted as plain LoRA, as that release does`);
    }
  const variants = VARIANTS.filter((v) => v.on(options)).map((v) => v.key);
  if (variants.includes("arrow_config"))
    throw new InputError("UNSUPPORTED_OPTION", "lora: arrow_config (Arrow routing) is built by create_arrow_model over trained LoRA adapters, which peftcount does not model", "count each task adapter on its own, without arrow_config");
  if (variants.length > 1)
    throw new InputError("CONFLICTING_OPTIONS", `lora: ${variants.join(" + ")} cannot be combined (PEFT: "Invalid or unsupported variant combination")`, `keep one of ${variants.join(", ")}`);
  const bd = options.use_bdlora;
  const overlap = bd ? (bd.target_modules_bd_a ?? []).filter((p) => (bd.target_modules_bd_b ?? []).includes(p)) : [];
  if (overlap.length > 0)
    throw new InputError("CONFLICTING_OPTIONS", `lora: use_bdlora lists ${overlap.map((p) => `"${p}"`).join(", ")} in both target_modules_bd_a and target_modules_bd_b (PEFT refuses it)`, "a module has a block-diagonal lora_A or lora_B, not both");
  if (options.lora_bias && typeof options.init_lora_weights !== "boolean")
    throw new InputError("CONFLICTING_OPTIONS", `lora: lora_bias=true works only with init_lora_weights true or false, not ${JSON.stringify(options.init_lora_weights)} (PEFT refuses it)`, "drop lora_bias or use the default initialisation");
  if (options.lora_bias && options.use_dora) throw new InputError("CONFLICTING_OPTIONS", "lora: lora_bias=true is not supported with DoRA (PEFT refuses it)", "drop lora_bias or use_dora");
  return { options, variants };
}

export interface AddedTensor {
  readonly param: string;
  readonly count: number;
  /** exists as a parameter but does not train (MiCA's lora_B) */
  readonly frozen?: boolean;
}

function refuse(module: string, why: string, fix: string): never {
  throw new InputError("UNSUPPORTED_TARGET", `lora: ${module}: ${why}`, fix);
}

/** Which factor of a module BD-LoRA makes block-diagonal (`pattern in target_name`), with PEFT's checks. */
function bdFactor(m: ParamModule, r: number, bd: BdLoraConfig): "A" | "B" | undefined {
  const a = (bd.target_modules_bd_a ?? []).some((p) => m.name.includes(p));
  const b = (bd.target_modules_bd_b ?? []).some((p) => m.name.includes(p));
  if (a && b) refuse(m.name, "matches both the target_modules_bd_a and target_modules_bd_b patterns of use_bdlora (PEFT's ValueError)", "make the two pattern lists match different modules");
  if (!a && !b) {
    if (bd.match_strict) refuse(m.name, "matches neither target_modules_bd_a nor target_modules_bd_b of use_bdlora, and match_strict is true (PEFT's ValueError)", "add a pattern for it, or set match_strict=false to give it plain LoRA");
    return undefined;
  }
  if (m.kind !== "linear") refuse(m.name, `BD-LoRA needs an nn.Linear; PEFT fails on ${m.className} (it has no in_features)`, "leave Conv1D modules out of the use_bdlora patterns (match_strict=false)");
  const [dIn, dOut] = a ? [m.inFeatures, r] : [r, m.outFeatures];
  if (dIn % bd.nblocks !== 0 || dOut % bd.nblocks !== 0)
    refuse(m.name, `a block-diagonal lora_${a ? "A" : "B"} (${dIn} → ${dOut}) does not divide into nblocks=${bd.nblocks} blocks (PEFT's ValueError)`, "choose nblocks dividing r and the blocked feature size");
  return a ? "A" : "B";
}

/** The tensors LoRA adds to one wrapped module of rank r, under the (single) variant the options request. */
export function moduleTensors(m: ParamModule, r: number, o: VariantOptions, variants: readonly VariantKey[]): AddedTensor[] {
  const mica = variants.includes("mica");
  if (m.kind === "embedding") {
    const other = variants.filter((v) => v !== "use_dora" && v !== "mica");
    if (other.length > 0) refuse(m.name, `${other.join(", ")} cannot wrap an Embedding (PEFT: "Invalid or unsupported variant combination")`, "leave embeddings out of target_modules, or drop the variant");
    const dim = m.embeddingDim;
    return [
      { param: "lora_embedding_A", count: r * m.numEmbeddings },
      { param: "lora_embedding_B", count: dim * r, frozen: mica },
      ...(o.use_dora ? [{ param: "lora_magnitude_vector", count: dim }] : []),
    ];
  }
  const { inFeatures: fin, outFeatures: fout } = featuresOf(m);
  const bd = o.use_bdlora ? bdFactor(m, r, o.use_bdlora) : undefined;
  const out: AddedTensor[] = [
    { param: "lora_A", count: bd === "A" ? (r * fin) / o.use_bdlora!.nblocks : r * fin },
    { param: "lora_B", count: bd === "B" ? (fout * r) / o.use_bdlora!.nblocks : fout * r + (o.lora_bias ? fout : 0), frozen: mica },
  ];
  if (o.use_dora) out.push({ param: "lora_magnitude_vector", count: fout });
  if (o.kasa_config !== null) {
    if (m.kind !== "linear") refuse(m.name, `KaSA does not support fan_in_fan_out layers (${m.className}); PEFT refuses it`, "target nn.Linear layers only");
    if (r >= Math.min(fin, fout)) refuse(m.name, `KaSA needs r (${r}) below min(in_features, out_features) = ${Math.min(fin, fout)} to keep a singular component of the base weight (PEFT's ValueError)`, "lower r (or its rank_pattern entry) for this module");
    out.push({ param: "lora_diag", count: r });
  }
  if (o.monteclora_config !== null) out.push({ param: "lora_monteclora_sampler", count: r + o.monteclora_config.num_samples });
  return out;
}
