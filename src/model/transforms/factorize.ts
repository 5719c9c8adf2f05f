/**
 * `factorize`: PELA's low-rank factorisation (Guo, Wang & Kankanhalli, CVPR 2024). As its code does
 * (guoyang9/PELA, DeiT/low_rank.py `ModuleLowRank`): every nn.Linear `m → n` whose name contains none of the
 * `omit` strings and that has at least 10 outputs ("for some head matrix") becomes `nn.Sequential(Linear(m, r,
 * bias=False), Linear(r, n, bias=<had one>))`, i.e. modules `<name>.0` and `<name>.1`, with
 * r = ⌊m·n / (c·(m+n))⌋ (`compress_ratio`, computed exactly). Conv1D (GPT-2) and embeddings are not nn.Linear
 * and stay. A head tied to the embeddings gets its own factors; the embedding keeps its matrix.
 */
import { InputError } from "../../errors.js";
import type { LinearModule, ParamModule, ParamSpec } from "../types.js";
import type { Inventory } from "../types.js";
import { digits, totalsText } from "./edit.js";
import { checkKeys, listOf, parseRatio, ratioText, TransformSpecError, type Ratio, type TransformSpec } from "./spec.js";
import type { TransformDef } from "./types.js";

/** PELA's rank: ⌊m·n / (c·(m+n))⌋ with c = p/q. */
export function pelaRank(m: number, n: number, c: Ratio): number {
  return Number((BigInt(m) * BigInt(n) * BigInt(c.q)) / (BigInt(c.p) * BigInt(m + n)));
}

/** PELA's own skip rule: out_features < 10. */
export const PELA_MIN_OUT = 10;

function factors(m: LinearModule, r: number): ParamModule[] {
  const hasBias = m.params.some((p) => p.name === "bias");
  const suffixed = (s: string) => (m.aliases?.length ? { aliases: m.aliases.map((a) => `${a}.${s}`) } : {});
  return [
    { name: `${m.name}.0`, kind: "linear", className: "Linear", inFeatures: m.inFeatures, outFeatures: r, params: [{ name: "weight", shape: [r, m.inFeatures] }], ...suffixed("0") },
    { name: `${m.name}.1`, kind: "linear", className: "Linear", inFeatures: r, outFeatures: m.outFeatures, params: [{ name: "weight", shape: [m.outFeatures, r] }, ...(hasBias ? [{ name: "bias", shape: [m.outFeatures] }] : [])], ...suffixed("1") },
  ];
}

function applyFactorize(inv: Inventory, spec: TransformSpec): { inv: Inventory; summary: string } {
  checkKeys(spec, ["c", "omit"], (k) => (/^(compress|ratio|r)/.test(k) ? 'did you mean "c"? ' : /^(skip|exclude|name_omit)/.test(k) ? 'did you mean "omit"? ' : ""));
  const c = parseRatio(spec.options["c"] ?? "3", "factorize c");
  if (c.p < c.q) throw new TransformSpecError("INVALID_TRANSFORM", `factorize: c=${spec.options["c"]} is out of range: the compression must be at least 1`, "e.g. c=2 (PELA's default is 3)");
  const omit = listOf(spec.options["omit"] ?? "");
  const out: ParamModule[] = [];
  const removedWeights = new Set<string>();
  let done = 0;
  let small = 0;
  let omitted = 0;
  let example = "";
  for (const m of inv.modules) {
    if (m.kind !== "linear") {
      out.push(m);
      continue;
    }
    if (omit.some((n) => m.name.includes(n))) {
      omitted++;
      out.push(m);
      continue;
    }
    if (m.outFeatures < PELA_MIN_OUT) {
      small++;
      out.push(m);
      continue;
    }
    const r = pelaRank(m.inFeatures, m.outFeatures, c);
    if (example === "") example = `${m.name.replace(/\.\d+(?=\.|$)/g, ".*")} ${digits(m.inFeatures)} → ${digits(r)} → ${digits(m.outFeatures)}`;
    removedWeights.add(`${m.name}.weight`);
    out.push(...factors(m, r));
    done++;
  }
  if (done === 0)
    throw new InputError("NOTHING_TO_TRANSFORM", `factorize: no nn.Linear layer to factorise in model_type "${inv.modelType}"${omitted ? ` (${omitted} omitted)` : ""}`, "PELA factorises nn.Linear layers with at least 10 outputs (GPT-2's Conv1D is not one)");
  const modules = untie(out, removedWeights);
  const untied = inv.modules.filter((m) => m.kind === "linear" && removedWeights.has(`${m.name}.weight`) && m.params.some((p) => p.name === "weight" && p.tiedTo !== undefined)).map((m) => m.name);
  const skipped = [small ? `${small} with fewer than ${PELA_MIN_OUT} outputs` : "", omitted ? `${omitted} omitted` : ""].filter(Boolean).join(", ");
  const summary = `factorize c=${ratioText(c)}: ${done} Linear layers m → r → n with r = ⌊m·n / (${ratioText(c)}·(m+n))⌋ (e.g. ${example})${skipped ? `; left: ${skipped}` : ""}${untied.length ? `; ${untied.join(", ")} was tied to the embeddings: it gets factors of its own (add omit=${untied[0]!.split(".").pop()} to keep it)` : ""}; ${totalsText(inv, modules)}`;
  return { inv: { ...inv, modules }, summary };
}

/** Parameters tied to a factorised weight: the first becomes the owner of that tensor (the module kept it). */
function untie(modules: ParamModule[], removed: ReadonlySet<string>): ParamModule[] {
  if (![...modules].some((m) => m.params.some((p) => p.tiedTo !== undefined && removed.has(p.tiedTo)))) return modules;
  const owner = new Map<string, string>();
  return modules.map((m) => {
    let changed = false;
    const params = m.params.map((p): ParamSpec => {
      if (p.tiedTo === undefined || !removed.has(p.tiedTo)) return p;
      changed = true;
      const first = owner.get(p.tiedTo);
      if (first === undefined) {
        owner.set(p.tiedTo, `${m.name}.${p.name}`);
        return { name: p.name, shape: p.shape };
      }
      return { ...p, tiedTo: first };
    });
    return changed ? { ...m, params } : m;
  });
}

export const factorize: TransformDef = {
  id: "factorize",
  title: "Low-rank factorisation (PELA)",
  paper: "PELA (Guo, Wang & Kankanhalli, CVPR 2024, arXiv:2310.10700); rule of guoyang9/PELA low_rank.py ModuleLowRank",
  expression: "each nn.Linear m→n (≥ 10 outputs, not omitted) → <name>.0 Linear(m, r, bias=False) + <name>.1 Linear(r, n); r = ⌊m·n / (c·(m+n))⌋",
  options: [
    { key: "c", text: "compression ratio (compress_ratio), at least 1", default: "3" },
    { key: "omit", text: "comma-separated name parts left as they are (name_omit: a module is left when its name contains one)", default: "none" },
  ],
  exactness: "exact (the rank rule, the bias on the second factor and the < 10 outputs skip are PELA's code)",
  apply: applyFactorize,
};
