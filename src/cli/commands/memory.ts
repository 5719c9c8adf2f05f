/**
 * `peftcount memory`: model-state memory of full fine-tuning and each method row (the compare panel, --method
 * specs, --methods, or one --adapter), per GPU, and whether it fits. AdapterHub specs, ids and saved files give
 * rows with AdapterHub's count (compare-adapterhub.ts); memory needs only a row's parts and trainable / all counts.
 */
import { FORMULAS, findFormula } from "../../../formulas/index.js";
import type { Formula } from "../../../formulas/types.js";
import { InputError, UsageError } from "../../errors.js";
import { buildMemoryReport } from "../../report/memory.js";
import { createColours } from "../../render/colours.js";
import { renderMemoryCsv, renderMemoryMarkdown, renderMemoryTable } from "../../render/memory.js";
import { reportFor, type SourcedRow } from "../emit.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";
import { loadAdapter, loadInventory, loadModelConfig, parseNumLabels, type ModelFlags } from "../load.js";
import { unknownMethodError } from "../gates-row.js";
import { chooseAdapterHubContext } from "../../adapters/versions.js";
import type { Inventory } from "../../model/types.js";
import { formatVersion } from "../../versions.js";
import { adapterHubRow, isAdapterHubSpec, looksLikeAdapterHubFile } from "./adapterhub.js";
import { adapterHubRows, onAdapterHubRelease, type HubRows } from "./compare-adapterhub.js";
import { takeAdaptersVersion } from "./count-adapterhub.js";
import { applyFlags, parseOptionFlags, parseSpec, rejectUnusedFlags, type RawOptions } from "../method-args.js";
import { runAccelerateCompat, runDeepspeedCompat } from "./memory-compat.js";
import { gpuOf, setupOf, type SetupFlags } from "./memory-setup.js";
import { panel } from "./panel.js";

type Flags = ModelFlags & OutputOptions & SetupFlags & { method?: string[]; methods?: string; adapter?: string; full?: boolean; compat?: "deepspeed" | "accelerate" };

type Adapter = { path: string; adapter: Record<string, unknown> };

const isHub = (spec: string) => isAdapterHubSpec(spec, (id) => findFormula(id) !== undefined);

function requests(flags: Flags, optionFlags: Map<string, string | true>, used: Set<string>, inv: Parameters<typeof panel>[0], file: Adapter | undefined): SourcedRow[] {
  const rows: SourcedRow[] = flags.full === false ? [] : [{ formula: findFormula("full")!, options: {}, origins: new Map() }];
  const methods: Formula[] = [];
  let reqs: { formula: Formula; options: RawOptions; explicit: boolean }[];
  if (file !== undefined) {
    const { path, adapter } = file;
    if (looksLikeAdapterHubFile(adapter)) reqs = [];
    else {
      const f = typeof adapter["peft_type"] === "string" ? FORMULAS.find((x) => x.peftType === adapter["peft_type"]) : undefined;
      if (!f) throw new InputError("UNSUPPORTED_METHOD", `${path}: peft_type ${JSON.stringify(adapter["peft_type"])} is not a supported PEFT method`, 'a PEFT adapter_config.json has "peft_type", e.g. "LORA"; a saved AdapterHub adapter_config.json has "config"');
      reqs = [{ formula: f, options: { ...adapter }, explicit: false }];
    }
  } else if (flags.method?.length) reqs = flags.method.filter((m) => !isHub(m)).map((s) => ({ ...parseMethodSpec(s), explicit: true }));
  else {
    const ids = flags.methods === undefined ? "default" : flags.methods === "all" ? "all" : flags.methods.split(",").map((s) => s.trim()).filter(Boolean);
    if (Array.isArray(ids)) for (const id of ids) if (!findFormula(id) && !isHub(id)) throw unknownMethodError("--methods", id);
    reqs = panel(inv, Array.isArray(ids) ? ids.filter((id) => !isHub(id)) : ids).map((p) => ({ ...p, explicit: false }));
  }
  for (const { formula, options, explicit } of reqs) {
    methods.push(formula);
    if (formula.id === "full") continue;
    const raw: RawOptions = { ...options };
    for (const k of applyFlags(formula, raw, optionFlags, new Set(explicit ? Object.keys(options) : []))) used.add(k);
    rows.push({ formula, options: raw, origins: new Map(Object.keys(raw).map((k) => [k, "command line"])) });
  }
  return rows;
}

/** parseSpec, its unknown-method error naming AdapterHub's configs too */
function parseMethodSpec(spec: string): ReturnType<typeof parseSpec> {
  const id = spec.trim().split(/\s+/)[0] ?? "";
  if (!findFormula(id) && !id.includes("=")) throw unknownMethodError("--method", id);
  return parseSpec(spec);
}

/** AdapterHub rows (its convention and releases): --method specs and --methods ids that are AdapterHub's, or its saved file. */
function hubRows(io: Io, flags: Flags, optionFlags: Map<string, string | true>, used: Set<string>, inv: Inventory, file: Adapter | undefined): HubRows {
  const adapters = takeAdaptersVersion(optionFlags);
  const config = () => loadModelConfig(io, flags.model).config;
  const numLabels = parseNumLabels(flags.numLabels);
  if (file && looksLikeAdapterHubFile(file.adapter)) {
    const ctx = chooseAdapterHubContext({ adapters, transformers: flags.transformersVersion, file: file.adapter });
    const hubInv = onAdapterHubRelease(inv, config, ctx.transformers, flags.transformersVersion, numLabels);
    const name = typeof file.adapter["name"] === "string" ? file.adapter["name"] : file.path;
    const row = adapterHubRow(hubInv, { method: `adapters:${name}`, title: `AdapterHub adapter ${name}`, input: file.adapter, unfreezeLayerNorms: false }, ctx);
    return { rows: [row], skipped: [], note: `AdapterHub rows follow AdapterHub's convention (train_adapter): adapters ${formatVersion(ctx.adapters)} on transformers ${formatVersion(ctx.transformers)}, chosen by ${ctx.why}`, adapters: formatVersion(ctx.adapters) };
  }
  const listed = flags.methods === undefined || flags.methods === "all" ? [] : flags.methods.split(",").map((s) => s.trim()).filter(isHub);
  const specs = flags.method?.length ? flags.method.filter(isHub) : listed;
  if (specs.length === 0) {
    if (adapters !== undefined) io.stderr("warning: --adapters-version changes nothing here: there are no AdapterHub rows\n");
    return { rows: [], skipped: [] };
  }
  return adapterHubRows(inv, config(), specs, true, { transformers: flags.transformersVersion, adapters, numLabels, flags: optionFlags, used });
}

export async function runMemory(opts: Record<string, unknown>, rest: string[], io: Io): Promise<void> {
  const flags = opts as unknown as Flags;
  if ([flags.method?.length, flags.methods, flags.adapter].filter((x) => x !== undefined && x !== 0).length > 1)
    throw new UsageError("CONFLICTING_FLAGS", "--method, --methods and --adapter cannot be combined", "rows come from --method specs, a --methods list, or one --adapter");
  if (flags.compat === "accelerate") {
    // accelerate builds AutoModel: the model without a task head
    const { ref, inv } = loadInventory(io, { ...flags, task: "FEATURE_EXTRACTION" });
    return runAccelerateCompat(flags, ref.id, inv, io);
  }
  const file = flags.adapter !== undefined ? loadAdapter(io, flags.adapter) : undefined;
  const { ref, inv, ctx } = loadInventory(io, flags, file?.adapter["task_type"]);
  if (flags.compat === "deepspeed") return runDeepspeedCompat(flags, inv, io);
  const setup = setupOf(flags, inv);
  const gpu = gpuOf(flags);
  const optionFlags = parseOptionFlags(rest);
  const used = new Set<string>();
  const rows = requests(flags, optionFlags, used, inv, file);
  const hub = hubRows(io, flags, optionFlags, used, inv, file);
  rejectUnusedFlags(optionFlags, used, rows.length > 1 ? rows.map((r) => r.formula) : [...FORMULAS]);
  if (rows.length + hub.rows.length === 0) throw new UsageError("NO_ROWS", "--no-full leaves no rows", "add --method, --methods or --adapter");
  const explicit = Boolean(flags.method?.length) || flags.adapter !== undefined;
  const peft = await reportFor(ref, inv, rows, ctx, { skipInapplicable: !explicit });
  const merged = hub.rows.length
    ? { ...peft, model: hub.note ? { ...peft.model, notes: [...peft.model.notes, hub.note] } : peft.model, rows: [...peft.rows, ...hub.rows], ...(hub.skipped.length ? { skipped: [...(peft.skipped ?? []), ...hub.skipped] } : {}) }
    : peft;
  const report = buildMemoryReport(merged, inv, setup, gpu);
  if (hub.rows.length && hub.note) io.stderr(`note: ${hub.note}\n`);
  if (hub.rows.length && setup.dtype !== "fp32")
    io.stderr(`note: AdapterHub creates its adapter tensors in torch's default dtype (fp32) whatever the model's; they are counted in ${setup.autocastAdapterDtype ? "fp32" : setup.dtype}${setup.autocastAdapterDtype ? " (--no-autocast-adapter-dtype counts them in the load dtype, as after model.adapter_to(name, dtype=...))" : ""}\n`);
  for (const s of report.skipped ?? []) io.stderr(`note: ${s.method} skipped: ${s.reason}\n`);
  for (const row of report.rows) for (const w of row.warnings) io.stderr(`warning: ${row.method}: ${w}\n`);
  const format = formatOf(flags);
  if (format === "json") io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === "markdown") io.stdout(renderMemoryMarkdown(report));
  else if (format === "csv") io.stdout(renderMemoryCsv(report));
  else io.stdout(renderMemoryTable(report, createColours({ isTTY: io.isTTY, env: io.env, noColor: !flags.color }), io.columns));
}
