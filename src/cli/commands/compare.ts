/** `peftcount compare`: full fine-tuning first, then the method rows (the panel, or --method specs). */
import { FORMULAS, findFormula } from "../../../formulas/index.js";
import type { Formula } from "../../../formulas/types.js";
import { didYouMean, UsageError } from "../../errors.js";
import { emit, reportFor, type SourcedRow } from "../emit.js";
import type { Io, OutputOptions } from "../io.js";
import { loadInventory, type ModelFlags } from "../load.js";
import { applyFlags, flagName, parseOptionFlags, parseSpec, rejectUnusedFlags, type RawOptions } from "../method-args.js";
import { panel } from "./panel.js";
import { besideOriginal } from "../compare-original.js";
import { isAdapterHubSpec } from "./adapterhub.js";
import { ADAPTERHUB_PANEL, adapterHubRows, hasEncoder } from "./compare-adapterhub.js";
import { takeAdaptersVersion } from "./count-adapterhub.js";
import { loadModelConfig, parseNumLabels } from "../load.js";
import { gpuOf, setupOf, type SetupFlags } from "./memory-setup.js";
import type { withMemoryColumn } from "../../report/memory-column.js";

type Flags = ModelFlags & OutputOptions & SetupFlags & { method?: string[]; methods?: string; memory?: boolean; size?: boolean; adaptersVersion?: string };

function methodsList(text: string): "all" | string[] {
  if (text === "all") return "all";
  const ids = text.split(",").map((s) => s.trim()).filter(Boolean);
  const known: string[] = FORMULAS.map((f) => f.id);
  for (const id of ids) if (!known.includes(id) && !isAdapterHubSpec(id, () => false)) throw new UsageError("UNKNOWN_METHOD", `--methods: unknown method "${id}"`, `${didYouMean(id, known)}methods: all, or a list of: ${known.join(", ")}`);
  return ids;
}



const SETUP_FLAGS: readonly (keyof SetupFlags)[] = ["dtype", "loadIn4bit", "loadIn8bit", "bnb4bitQuantType", "bnb4bitUseDoubleQuant", "llmInt8SkipModules", "prepareModelForKbitTraining", "optimizer", "masterWeights", "gpus", "nodes", "zero", "fsdp", "offloadOptimizer", "offloadParams", "gpu", "gpuMemory", "galoreTargets", "galoreRank"];

/** A memory setup flag changes nothing without --memory: refused, never ignored (--size reads --dtype and the autocast flag). */
function refuseSetupWithoutMemory(flags: Flags): void {
  const given = SETUP_FLAGS.filter((k) => flags[k] !== undefined && !(flags.size && k === "dtype"));
  if (flags.autocastAdapterDtype === false && !flags.size) given.push("autocastAdapterDtype");
  if (given.length === 0) return;
  const names = given.map((k) => `--${k.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}`);
  throw new UsageError("FLAG_NEEDS_MEMORY", `${names.join(", ")} ${names.length > 1 ? "describe" : "describes"} the training setup of the memory column, which compare shows only with --memory`, `add --memory${given.length === 1 && given[0] === "dtype" ? " (or --size for the adapter file column)" : ""}, or drop the flag`);
}

/**
 * --memory: each row's model-state bytes per GPU, as `peftcount memory` computes them with the same setup flags.
 * Loaded only then: the memory report's schemas and engine are no part of a plain compare's start-up.
 */
async function memoryColumn<R extends Parameters<typeof withMemoryColumn>[0]>(io: Io, flags: Flags, inv: Parameters<typeof withMemoryColumn>[1], report: R): Promise<R> {
  const [{ withMemoryColumn }, { setupLine }] = await Promise.all([import("../../report/memory-column.js"), import("../../render/memory.js")]);
  const { report: withMemory, memory, notes } = withMemoryColumn(report, inv, setupOf(flags, inv), gpuOf(flags));
  for (const n of notes) io.stderr(`note: ${n}\n`);
  return { ...withMemory, memorySetup: setupLine(memory) } as R;
}

/** --size: each PEFT row's adapter_model.safetensors for a model loaded in --dtype (default: the config's dtype, as --memory). */
async function sizeColumn<R extends Parameters<typeof withMemoryColumn>[0]>(io: Io, flags: Flags, inv: Parameters<typeof withMemoryColumn>[1], report: R, ctx: Parameters<typeof reportFor>[3]): Promise<R> {
  const [{ withSizeColumn }, { sizeWarnings }, { autoDtype }] = await Promise.all([import("../../report/size-column.js"), import("../gates-row.js"), import("./memory-setup.js")]);
  const dtype = (flags.dtype as "fp32" | "fp16" | "bf16" | undefined) ?? autoDtype(inv);
  const sized = withSizeColumn(report, inv, dtype, { autocastAdapterDtype: flags.autocastAdapterDtype !== false }, ctx);
  sizeWarnings(io, sized.rows);
  return sized;
}

export async function runCompare(opts: Record<string, unknown>, rest: string[], io: Io): Promise<void> {
  const flags = opts as unknown as Flags;
  if (flags.method?.length && flags.methods !== undefined)
    throw new UsageError("CONFLICTING_FLAGS", "--method and --methods cannot be combined", '--methods picks methods with their defaults; --method "id key=value" sets options');
  if (!flags.memory) refuseSetupWithoutMemory(flags);
  const optionFlags = parseOptionFlags(rest);
  const adaptersVersion = flags.adaptersVersion ?? takeAdaptersVersion(optionFlags);
  const { ref, inv, ctx } = loadInventory(io, flags);
  const isHub = (spec: string) => isAdapterHubSpec(spec, (id) => findFormula(id) !== undefined);
  const listed = flags.methods === undefined ? "default" : methodsList(flags.methods);
  const hubSpecs = flags.method?.length ? flags.method!.filter(isHub) : Array.isArray(listed) ? listed.filter(isHub) : hasEncoder(inv) ? [...ADAPTERHUB_PANEL] : [];
  const full = findFormula("full")!;
  const rows: SourcedRow[] = [{ formula: full, options: {}, origins: new Map() }];
  const used = new Set<string>();
  const methods: Formula[] = [];
  const explicit = Boolean(flags.method?.length);
  const appliedTo = new Map<string, string[]>();
  const requests = explicit ? flags.method!.filter((m) => !isHub(m)).map(parseSpec) : panel(inv, Array.isArray(listed) ? listed.filter((id) => !isHub(id)) : listed);
  for (const { formula, options } of requests) {
    methods.push(formula);
    if (formula.id === "full") continue;
    // a user's --method key=value wins over a flag; the panel's own values give way to flags
    const raw: RawOptions = { ...options };
    for (const k of applyFlags(formula, raw, optionFlags, new Set(explicit ? Object.keys(options) : []))) {
      used.add(k);
      appliedTo.set(k, [...(appliedTo.get(k) ?? []), formula.id]);
    }
    rows.push({ formula, options: raw, origins: new Map(Object.keys(raw).map((k) => [k, "command line"])) });
  }
  const hub = adapterHubRows(inv, loadModelConfig(io, flags.model).config, hubSpecs, explicit, {
    transformers: flags.transformersVersion,
    adapters: adaptersVersion,
    numLabels: parseNumLabels(flags.numLabels),
    flags: optionFlags,
    used,
  });
  rejectUnusedFlags(optionFlags, used, methods.length ? methods : [...FORMULAS]);
  if (flags.adaptersVersion !== undefined && hub.rows.length === 0) io.stderr("warning: --adapters-version changes nothing here: there are no AdapterHub rows (add one with --method adapters:<config> or --methods)\n");
  const peftReport = await reportFor(ref, inv, rows, ctx, { skipInapplicable: !explicit });
  const skipped = [...(peftReport.skipped ?? []), ...hub.skipped];
  const merged = {
    ...peftReport,
    ...(hub.adapters ? { versions: { ...peftReport.versions!, adapters: hub.adapters } as typeof peftReport.versions } : {}),
    model: hub.note && hub.rows.length ? { ...peftReport.model, notes: [...peftReport.model.notes, hub.note] } : peftReport.model,
    rows: [...peftReport.rows, ...hub.rows],
    ...(skipped.length ? { skipped } : {}),
  };
  const withMemory = flags.memory ? await memoryColumn(io, flags, inv, merged) : merged;
  const report = flags.size ? await sizeColumn(io, flags, inv, withMemory, ctx) : withMemory;
  // the same key means different things in different methods (OFT's r is a block count): say where it went
  for (const [k, ids] of appliedTo) {
    const skipped = [...new Set(rows.slice(1).map((r) => r.formula.id))].filter((id) => !ids.includes(id));
    if (skipped.length) io.stderr(`note: ${flagName(k)} applies to ${[...new Set(ids)].join(", ")} (the rows whose method has "${k}"), not to ${skipped.join(", ")}\n`);
  }
  emit(io, await besideOriginal(io, opts, rows, ctx, explicit, report), flags);
}
