/**
 * Reading a Hugging Face `config.json` the way transformers' config classes do: a key may have
 * aliases (`n_embd` → `hidden_size`), a missing key takes the config class's default, and a value of
 * the wrong type or an impossible value is an error that names the field.
 */
import { InputError } from "../errors.js";

export type RawConfig = Readonly<Record<string, unknown>>;

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

export class ConfigReader {
  constructor(
    readonly raw: RawConfig,
    readonly modelType: string,
    /** where the values sit, for messages: `config.json` or `config.json text_config` */
    readonly where = "config.json",
  ) {}

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  private lookup(keys: string | readonly string[]): [string, unknown] | undefined {
    for (const k of typeof keys === "string" ? [keys] : keys) {
      const v = this.raw[k];
      if (v !== undefined && v !== null) return [k, v];
    }
    return undefined;
  }

  private fail(key: string, what: string, got: unknown): never {
    throw new InputError(
      "INVALID_CONFIG",
      `${this.where}: "${key}" ${what} (got ${show(got)})`,
      `fix "${key}" in the config of this ${this.modelType} model, or remove it to use the transformers default`,
    );
  }

  /** A positive integer (or zero when `min` is 0); `fallback` when absent or null. */
  int(keys: string | readonly string[], fallback?: number, min = 1): number {
    const found = this.lookup(keys);
    const name = typeof keys === "string" ? keys : keys[0]!;
    if (!found) {
      if (fallback === undefined)
        throw new InputError("MISSING_CONFIG_FIELD", `${this.where}: required field "${name}" is missing`, `add "${name}" to the ${this.modelType} config`);
      return fallback;
    }
    const [k, v] = found;
    if (typeof v !== "number" || !Number.isFinite(v) || !Number.isInteger(v)) this.fail(k, "must be an integer", v);
    if (!Number.isSafeInteger(v))
      throw new InputError("INVALID_CONFIG", `${this.where}: "${k}" is past 2^53 and cannot be counted exactly`, `fix "${k}" in the config of this ${this.modelType} model`);
    if (v < min) this.fail(k, min === 1 ? "must be a positive integer" : `must be at least ${min}`, v);
    return v;
  }

  /** An integer that may be absent (undefined) */
  optInt(keys: string | readonly string[], min = 1): number | undefined {
    return this.lookup(keys) ? this.int(keys, undefined, min) : undefined;
  }

  bool(keys: string | readonly string[], fallback: boolean): boolean {
    const found = this.lookup(keys);
    if (!found) return fallback;
    const [k, v] = found;
    if (typeof v !== "boolean") this.fail(k, "must be true or false", v);
    return v;
  }

  str(keys: string | readonly string[], fallback: string): string {
    const found = this.lookup(keys);
    if (!found) return fallback;
    const [k, v] = found;
    if (typeof v !== "string") this.fail(k, "must be a string", v);
    return v;
  }

  /** A config value that must divide another (heads that cannot split the width, ...). */
  divides(numKey: string, num: number, byKey: string, by: number): number {
    if (num % by !== 0)
      throw new InputError(
        "INVALID_CONFIG",
        `${this.where}: "${numKey}" (${num}) is not divisible by "${byKey}" (${by})`,
        `transformers cannot split ${numKey} into ${byKey} equal parts; fix one of the two`,
      );
    return num / by;
  }

  /** MoE: experts a token is routed to cannot exceed the experts of a layer (0 experts: every layer dense). */
  routable(perTokKey: string, perTok: number, expertsKey: string, experts: number): void {
    if (experts > 0 && perTok > experts)
      throw new InputError(
        "INVALID_CONFIG",
        `${this.where}: "${perTokKey}" (${perTok}) is larger than "${expertsKey}" (${experts})`,
        "a token cannot be routed to more experts than a layer has; fix one of the two",
      );
  }

  /** Nested sub-config, e.g. `text_config` of a multimodal model. */
  sub(key: string, modelType: string): ConfigReader | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "object" || Array.isArray(v)) this.fail(key, "must be an object", v);
    return new ConfigReader(v as RawConfig, modelType, `${this.where} ${key}`);
  }
}

/** `num_labels` as transformers derives it: explicit, else from `id2label`, else 2. */
export function numLabelsOf(cfg: ConfigReader, fallback = 2): number {
  if (cfg.has("num_labels")) return cfg.int("num_labels");
  const id2label = cfg.raw["id2label"];
  if (id2label !== undefined && id2label !== null) {
    if (typeof id2label !== "object" || Array.isArray(id2label))
      throw new InputError("INVALID_CONFIG", `${cfg.where}: "id2label" must be an object mapping ids to labels`, "fix or remove id2label");
    const n = Object.keys(id2label).length;
    if (n > 0) return n;
  }
  return fallback;
}
