/**
 * Counting by arithmetic over module classes: the modules a plan wraps (targets.ts, cached per inventory and
 * targeting keys) are split once into classes of modules that are interchangeable for a per-module count —
 * the same group name (`model.layers.*.mlp.experts.*.up_proj`), the same routed-expert status and the same
 * shape fields (everything a ParamModule holds except its name and aliases). A method's per-module function
 * runs once per class on a probe of the class's first module and its tensors count × the class size; if
 * the function reads the module's name (a rank_pattern, a name in a message), the class falls back to one
 * call per module, in model order. So an all-linear rank sweep on a 36,945-module MoE costs O(classes)
 * per point. Each tensor keeps the model position of its first module, so settle (apply.ts) can restore
 * PEFT's part order (first appearance in module order) exactly.
 */
import type { PartKind } from "../breakdown.js";
import type { Inventory, ParamModule } from "../model/types.js";
import { groupOf, type ModuleTree } from "./modules.js";

export interface ModuleClass {
  /** the members, in model order; members[0] is the representative */
  readonly members: readonly ParamModule[];
  /** each member's index in the wrapped list */
  readonly positions: readonly number[];
}

/** One tensor the method adds to each of `modules` (count per module), first added at `positions[0]`, seq-th in its module. */
export interface GroupedTensor {
  readonly modules: readonly ParamModule[];
  readonly positions: readonly number[];
  readonly param: string;
  readonly count: number;
  readonly seq: number;
  readonly trainable: boolean;
  readonly kind?: PartKind;
}

const classCache = new WeakMap<readonly ParamModule[], readonly ModuleClass[]>();

/** signatures per module (an inventory's modules are immutable): computed once, shared by every wrapped list */
const signatures = new WeakMap<ParamModule, string>();

/** Shape signature: every field but the name and aliases (parameters by name, shape and tie). */
function signature(m: ParamModule): string {
  let s = signatures.get(m);
  if (s === undefined) signatures.set(m, (s = computeSignature(m)));
  return s;
}

function computeSignature(m: ParamModule): string {
  let s = "";
  for (const key of Object.keys(m)) {
    if (key === "name" || key === "aliases") continue;
    const v = (m as unknown as Record<string, unknown>)[key];
    if (key === "params") for (const p of m.params) s += `|${JSON.stringify(p.name)}:${p.shape.join("x")}${p.tiedTo === undefined ? "" : `=${JSON.stringify(p.tiedTo)}`}${Object.keys(p).length > (p.tiedTo === undefined ? 2 : 3) ? JSON.stringify(p) : ""}`;
    else s += `|${key}=${typeof v === "number" || typeof v === "boolean" ? v : JSON.stringify(v)}`;
  }
  return s;
}

/** The classes of a wrapped list (kept per list: plans hand out the same frozen list for the same keys). */
export function moduleClasses(inv: Inventory, tree: ModuleTree, wrapped: readonly ParamModule[]): readonly ModuleClass[] {
  const cached = Object.isFrozen(wrapped) ? classCache.get(wrapped) : undefined;
  if (cached) return cached;
  const pattern = inv.experts?.pattern;
  const byKey = new Map<string, { members: ParamModule[]; positions: number[] }>();
  wrapped.forEach((m, i) => {
    const routed = pattern === undefined ? "" : pattern.test(m.name) ? "r" : "d";
    const key = `${groupOf(tree, m.name)}\u0000${routed}\u0000${signature(m)}`;
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { members: [], positions: [] }));
    c.members.push(m);
    c.positions.push(i);
  });
  const classes = Object.freeze([...byKey.values()].map((c) => Object.freeze({ members: Object.freeze(c.members), positions: Object.freeze(c.positions) })));
  if (Object.isFrozen(wrapped)) classCache.set(wrapped, classes);
  return classes;
}

/** A name-dependent label per module (tuner.ts `classify`): `key` identifies the rule, `of` labels a name. */
export interface ModuleLabels {
  readonly key: string;
  of(name: string): string;
}

const labelledCache = new WeakMap<readonly ParamModule[], Map<string, readonly (ModuleClass & { readonly label: string })[]>>();

/**
 * The classes of a wrapped list split further by a label per module name, in class order then first
 * appearance; kept per (frozen) list and rule key, so the names are read once per targeting plan.
 */
export function labelledClasses(inv: Inventory, tree: ModuleTree, wrapped: readonly ParamModule[], labels: ModuleLabels): readonly (ModuleClass & { readonly label: string })[] {
  let byKey = Object.isFrozen(wrapped) ? labelledCache.get(wrapped) : undefined;
  const hit = byKey?.get(labels.key);
  if (hit) return hit;
  const out: (ModuleClass & { label: string })[] = [];
  for (const c of moduleClasses(inv, tree, wrapped)) {
    const split = new Map<string, { members: ParamModule[]; positions: number[] }>();
    c.members.forEach((m, i) => {
      const label = labels.of(m.name);
      let s = split.get(label);
      if (!s) split.set(label, (s = { members: [], positions: [] }));
      s.members.push(m);
      s.positions.push(c.positions[i]!);
    });
    for (const [label, s] of split) out.push(Object.freeze({ members: Object.freeze(s.members), positions: Object.freeze(s.positions), label }));
  }
  const frozen = Object.freeze(out);
  if (Object.isFrozen(wrapped)) {
    if (!byKey) labelledCache.set(wrapped, (byKey = new Map()));
    if (byKey.size >= 64) byKey.clear();
    byKey.set(labels.key, frozen);
  }
  return frozen;
}

export type AddTensor = (param: string, count: number, trainable?: boolean) => void;

/** Thrown by a probe at the moment the per-module function reads the module's name. */
const NAMED = Symbol("reads the module name");

const probes = new WeakMap<ParamModule, ParamModule>();
const named = (): never => {
  throw NAMED;
};

/**
 * A stand-in for `m` that stops the call (throws NAMED) as soon as its name or aliases are read: a plain
 * object with m's other fields and throwing getters (made once per module; property reads stay as fast as
 * on the module itself, unlike a Proxy).
 */
function probe(m: ParamModule): ParamModule {
  let p = probes.get(m);
  if (p === undefined) {
    const o = Object.create(Object.getPrototypeOf(m) as object) as Record<string, unknown>;
    for (const key of Object.keys(m)) {
      if (key === "name" || key === "aliases") Object.defineProperty(o, key, { get: named, enumerable: true });
      else o[key] = (m as unknown as Record<string, unknown>)[key];
    }
    if (!("name" in o)) Object.defineProperty(o, "name", { get: named, enumerable: true });
    if (!("aliases" in o)) Object.defineProperty(o, "aliases", { get: named, enumerable: false });
    p = Object.freeze(o) as unknown as ParamModule;
    probes.set(m, p);
  }
  return p;
}

/**
 * Run `perModule` over the wrapped modules, once per class where the class size can multiply the result,
 * and collect the tensors. Equivalent to calling it on every module in model order (same tensors, same
 * first refusal) for any per-module function that is a function of the module and the options: a call
 * that reads the name is stopped at that read and the class is counted module by module.
 */
export function groupedTensors(classes: readonly ModuleClass[], perModule: (m: ParamModule, add: AddTensor) => void): GroupedTensor[] {
  const out: GroupedTensor[] = [];
  const each = (m: ParamModule, position: number) => {
    let seq = 0;
    const modules = [m];
    const positions = [position];
    perModule(m, (param, count, trainable = true) => out.push({ modules, positions, param, count, seq: seq++, trainable }));
  };
  for (const c of classes) {
    if (c.members.length === 1) {
      each(c.members[0]!, c.positions[0]!);
      continue;
    }
    const mark = out.length;
    let seq = 0;
    try {
      perModule(probe(c.members[0]!), (param, count, trainable = true) => out.push({ modules: c.members, positions: c.positions, param, count, seq: seq++, trainable }));
      continue;
    } catch (e) {
      if (e !== NAMED) throw e;
    }
    out.length = mark;
    c.members.forEach((m, i) => each(m, c.positions[i]!));
  }
  return out;
}
