/**
 * A tiny module-list builder used by the family files: one call per transformers submodule,
 * shapes checked so every count stays an exact safe integer.
 */
import { InputError } from "../errors.js";
import { markRepeat } from "./compact.js";
import { repeatOf, type ParamModule, type ParamSpec, type Repeat } from "./types.js";

function checkShape(name: string, shape: readonly number[]): readonly number[] {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d <= 0)
      throw new InputError("INVALID_CONFIG", `module ${name} would have an impossible shape [${shape.join(", ")}]`, "check the sizes in config.json");
    n *= d;
  }
  if (!Number.isSafeInteger(n))
    throw new InputError("TOO_LARGE", `module ${name} would hold more than 2^53 parameters`, "check the sizes in config.json");
  return shape;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Parameter lists of Linear / Conv1D modules, shared (frozen) between modules of the same shape: a 128-expert
 * MoE has tens of thousands of identical projections, and one list per shape (checked once) saves building
 * and collecting a list, its specs and their shapes for each. `tie` replaces a module's list, never edits it.
 */
const linearParams = [new Map<number, Map<number, readonly ParamSpec[]>>(), new Map<number, Map<number, readonly ParamSpec[]>>(), new Map<number, Map<number, readonly ParamSpec[]>>()];

function sharedLinearParams(name: string, conv1d: boolean, inFeatures: number, outFeatures: number, bias: boolean): readonly ParamSpec[] {
  // Linear without bias, Linear with bias, Conv1D; then in, out (numbers: no key string per module)
  const byIn = linearParams[conv1d ? 2 : bias ? 1 : 0]!;
  let byOut = byIn.get(inFeatures);
  if (byOut === undefined) {
    if (byIn.size >= 4096) byIn.clear();
    byIn.set(inFeatures, (byOut = new Map()));
  }
  let params = byOut.get(outFeatures);
  if (params === undefined) {
    const weight = conv1d ? [inFeatures, outFeatures] : [outFeatures, inFeatures];
    const list: ParamSpec[] = [{ name: "weight", shape: Object.freeze(checkShape(`${name}.weight`, weight)) }];
    if (bias || conv1d) list.push({ name: "bias", shape: Object.freeze(checkShape(`${name}.bias`, [outFeatures])) });
    params = Object.freeze(list.map((p) => Object.freeze(p)));
    byOut.set(outFeatures, params);
  }
  return params;
}

export class ModuleList {
  readonly modules: Mutable<ParamModule>[] = [];
  private readonly byName = new Map<string, Mutable<ParamModule>>();

  /** the repeat being listed (innermost), whose entries stand for all its copies */
  private current: Repeat | undefined;

  private add(m: Mutable<ParamModule>, checked = false): this {
    if (!checked) for (const p of m.params) checkShape(`${m.name}.${p.name}`, p.shape);
    // one hash operation: the map grows exactly when the name is new
    const size = this.byName.size;
    this.byName.set(m.name, m);
    if (this.byName.size === size) throw new Error(`duplicate module ${m.name}`);
    if (this.current !== undefined) markRepeat(m, this.current);
    this.modules.push(m);
    return this;
  }

  /** nn.Linear(in, out, bias): weight [out, in], bias [out]. */
  linear(name: string, inFeatures: number, outFeatures: number, bias: boolean, className = "Linear"): this {
    return this.add({ name, kind: "linear", className, inFeatures, outFeatures, params: sharedLinearParams(name, false, inFeatures, outFeatures, bias) }, true);
  }

  /** transformers' Conv1D(nf=out, nx=in): weight [in, out], always a bias [out]. */
  conv1d(name: string, inFeatures: number, outFeatures: number): this {
    return this.add({ name, kind: "conv1d", className: "Conv1D", inFeatures, outFeatures, params: sharedLinearParams(name, true, inFeatures, outFeatures, true) }, true);
  }

  embedding(name: string, numEmbeddings: number, embeddingDim: number, className = "Embedding"): this {
    return this.add({ name, kind: "embedding", className, numEmbeddings, embeddingDim, params: [{ name: "weight", shape: [numEmbeddings, embeddingDim] }] });
  }

  /** LayerNorm (weight + bias unless `bias` is false) or RMSNorm-style (weight only). */
  norm(name: string, size: number, bias: boolean, className: string): this {
    const params: ParamSpec[] = [{ name: "weight", shape: [size] }];
    if (bias) params.push({ name: "bias", shape: [size] });
    return this.add({ name, kind: "norm", className, params });
  }

  /** Any other module that owns parameters directly (positional tables, gates, scalars). */
  other(name: string, className: string, params: Record<string, readonly number[]>, kind: "norm" | "other" = "other"): this {
    return this.add({ name, kind, className, params: Object.entries(params).map(([n, shape]) => ({ name: n, shape })) });
  }

  /**
   * `count` identical copies of what `body` lists at `${base}.${i}` (MoE experts, identical layers): listed once,
   * at index 0, each entry standing for all copies (compact.ts); repeats nest. `body` must list the same modules
   * for every index.
   */
  repeat(base: string, count: number, body: (at: string) => void): this {
    if (count <= 0) return this;
    if (count === 1) {
      body(`${base}.0`);
      return this;
    }
    const outer = this.current;
    this.current = Object.freeze(outer === undefined ? { base, count } : { base, count, outer });
    try {
      body(`${base}.0`);
    } finally {
      this.current = outer;
    }
    return this;
  }

  /** `name.param` is the same tensor as `to` (e.g. `lm_head.weight` → `model.embed_tokens.weight`). */
  tie(name: string, to: string, param = "weight"): this {
    const m = this.byName.get(name);
    if (!m) throw new Error(`tie: no module ${name}`);
    if (repeatOf(m)) throw new Error(`tie: ${name} is a repeated module`);
    m.params = m.params.map((p) => (p.name === param ? { ...p, tiedTo: to } : p));
    return this;
  }

  /** The module `name` is also reachable as `alias` (same object). */
  alias(name: string, alias: string): this {
    const m = this.byName.get(name);
    if (!m) throw new Error(`alias: no module ${name}`);
    if (repeatOf(m)) throw new Error(`alias: ${name} is a repeated module`);
    m.aliases = [...(m.aliases ?? []), alias];
    return this;
  }
}
