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
import type { Inventory, ParamModule, ParamSpec } from "../model/types.js";
import { groupName, weightOf } from "../model/types.js";
import { weightedLength } from "../model/compact.js";
import type { ModuleTree } from "./modules.js";

export interface ModuleClass {
  /** the members, in model order; members[0] is the representative */
  readonly members: readonly ParamModule[];
  /** each member's index in the wrapped list */
  readonly positions: readonly number[];
  /** how many modules the members stand for: their number, or Σ weights on a compact inventory (src/model/compact.ts) */
  readonly size: number;
}

/** One tensor the method adds to each of `modules` (count per module), first added at `positions[0]`, seq-th in its module. */
export interface GroupedTensor {
  readonly modules: readonly ParamModule[];
  /** how many modules `modules` stand for (ModuleClass `size`) */
  readonly size: number;
  readonly positions: readonly number[];
  readonly param: string;
  readonly count: number;
  readonly seq: number;
  readonly trainable: boolean;
  readonly kind?: PartKind;
}

const classCache = new WeakMap<readonly ParamModule[], readonly ModuleClass[]>();

/** the signature of a parameter list, per list object (builder.ts shares one frozen list between modules of one shape) */
const paramSignatures = new WeakMap<readonly ParamSpec[], string>();

function paramsSignature(params: readonly ParamSpec[]): string {
  let s = paramSignatures.get(params);
  if (s === undefined) {
    s = "";
    for (const p of params) s += `|${JSON.stringify(p.name)}:${p.shape.join("x")}${p.tiedTo === undefined ? "" : `=${JSON.stringify(p.tiedTo)}`}${Object.keys(p).length > (p.tiedTo === undefined ? 2 : 3) ? JSON.stringify(p) : ""}`;
    paramSignatures.set(params, s);
  }
  return s;
}

/**
 * Shape signature as a small number: every field but the name and aliases (parameters by name, shape and tie),
 * looked up in a trie of (field, value) pairs, so a module costs a few map lookups and no string building.
 */
type SigNode = { id: number; readonly next: Map<string, Map<unknown, SigNode>> };
const sigRoot: SigNode = { id: 0, next: new Map() };
let nextSig = 1;
let sigBase = 0;

function signature(m: ParamModule): number {
  let node = sigRoot;
  for (const key in m) {
    if (key === "name" || key === "aliases" || !Object.prototype.hasOwnProperty.call(m, key)) continue;
    const raw = (m as unknown as Record<string, unknown>)[key];
    const object = key !== "params" && raw !== null && typeof raw === "object";
    const v = key === "params" ? paramsSignature(m.params) : object ? JSON.stringify(raw) : Object.is(raw, -0) ? 0 : raw;
    // an object's JSON under its own field entry, apart from a string value that happens to spell it
    const field = object ? `${key}\u0000json` : key;
    let byValue = node.next.get(field);
    if (!byValue) node.next.set(field, (byValue = new Map()));
    let child = byValue.get(v);
    if (!child) byValue.set(v, (child = { id: nextSig++, next: new Map() }));
    node = child;
  }
  return node.id;
}

/** the group name of every path below one parent: groupName(parent) + "." + the last component ("*" for an index) */
function parentGroup(parents: Map<string, string>, parent: string): string {
  let g = parents.get(parent);
  if (g === undefined) parents.set(parent, (g = groupName(parent)));
  return g;
}

const DIGITS = /^\d+$/;

/** The classes of a wrapped list (kept per list: plans hand out the same frozen list for the same keys). */
export function moduleClasses(inv: Inventory, tree: ModuleTree, wrapped: readonly ParamModule[]): readonly ModuleClass[] {
  const cached = Object.isFrozen(wrapped) ? classCache.get(wrapped) : undefined;
  if (cached) return cached;
  // the trie only grows; ids are never reused, so starting it afresh keeps every earlier class apart
  if (nextSig - sigBase > 100_000) {
    sigRoot.next.clear();
    sigBase = nextSig;
  }
  const pattern = inv.experts?.pattern;
  // groupName(name) without building it per module: (group of the parent, last component) → routed status and
  // signature → class; classes in first-appearance order (`all`)
  const parents = new Map<string, string>();
  const byGroup = new Map<string, Map<string, Map<number, { members: ParamModule[]; positions: number[] }>>>();
  const all: { members: ParamModule[]; positions: number[] }[] = [];
  for (let i = 0; i < wrapped.length; i++) {
    const m = wrapped[i]!;
    const name = m.name;
    const dot = name.lastIndexOf(".");
    // a name without a dot is its own group; "\u0000" keeps it apart from every parent's group
    const pg = dot === -1 ? "\u0000" : parentGroup(parents, name.slice(0, dot));
    const tail = dot === -1 ? name : name.slice(dot + 1);
    const last = dot !== -1 && DIGITS.test(tail) ? "*" : tail;
    let byLast = byGroup.get(pg);
    if (!byLast) byGroup.set(pg, (byLast = new Map()));
    let bySig = byLast.get(last);
    if (!bySig) byLast.set(last, (bySig = new Map()));
    const key = 3 * signature(m) + (pattern === undefined ? 0 : pattern.test(name) ? 1 : 2);
    let c = bySig.get(key);
    if (!c) {
      bySig.set(key, (c = { members: [], positions: [] }));
      all.push(c);
    }
    c.members.push(m);
    c.positions.push(i);
  }
  const classes = Object.freeze(all.map((c) => Object.freeze({ members: Object.freeze(c.members), positions: Object.freeze(c.positions), size: weightedLength(c.members) })));
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
    for (const [label, s] of split) out.push(Object.freeze({ members: Object.freeze(s.members), positions: Object.freeze(s.positions), size: weightedLength(s.members), label }));
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
    const size = weightOf(m);
    perModule(m, (param, count, trainable = true) => out.push({ modules, size, positions, param, count, seq: seq++, trainable }));
  };
  for (const c of classes) {
    if (c.members.length === 1) {
      each(c.members[0]!, c.positions[0]!);
      continue;
    }
    const mark = out.length;
    let seq = 0;
    try {
      perModule(probe(c.members[0]!), (param, count, trainable = true) => out.push({ modules: c.members, size: c.size, positions: c.positions, param, count, seq: seq++, trainable }));
      continue;
    } catch (e) {
      if (e !== NAMED) throw e;
    }
    out.length = mark;
    c.members.forEach((m, i) => each(m, c.positions[i]!));
  }
  return out;
}
