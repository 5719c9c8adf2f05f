/**
 * `peftcount memory`: model-state memory of full fine-tuning and each method row (the compare panel, --method
 * specs, --methods, or one --adapter), per GPU, and whether it fits.
 */
import { FORMULAS, findFormula } from "../../../formulas/index.js";
import type { Formula } from "../../../formulas/types.js";
import { didYouMean, InputError, UsageError } from "../../errors.js";
import { buildMemoryReport } from "../../report/memory.js";
import { createColours } from "../../render/colours.js";
import { renderMemoryCsv, renderMemoryMarkdown, renderMemoryTable } from "../../render/memory.js";
import { reportFor, type SourcedRow } from "../emit.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";
import { loadAdapter, loadInventory, type ModelFlags } from "../load.js";
import { applyFlags, parseOptionFlags, parseSpec, rejectUnusedFlags, type RawOptions } from "../method-args.js";
import { runAccelerateCompat, runDeepspeedCompat } from "./memory-compat.js";
import { gpuOf, setupOf, type SetupFlags } from "./memory-setup.js";
import { panel } from "./panel.js";

type Flags = ModelFlags & OutputOptions & SetupFlags & { method?: string[]; methods?: string; adapter?: string; full?: boolean; compat?: "deepspeed" | "accelerate" };

type Adapter = { path: string; adapter: Record<string, unknown> };

function requests(flags: Flags, rest: string[], inv: Parameters<typeof panel>[0], file: Adapter | undefined): SourcedRow[] {
  const optionFlags = parseOptionFlags(rest);
  const rows: SourcedRow[] = flags.full === false ? [] : [{ formula: findFormula("full")!, options: {}, origins: new Map() }];
  const used = new Set<string>();
  const methods: Formula[] = [];
  let reqs: { formula: Formula; options: RawOptions; explicit: boolean }[];
  if (file !== undefined) {
    const { path, adapter } = file;
    const f = typeof adapter["peft_type"] === "string" ? FORMULAS.find((x) => x.peftType === adapter["peft_type"]) : undefined;
    if (!f) throw new InputError("UNSUPPORTED_METHOD", `${path}: peft_type ${JSON.stringify(adapter["peft_type"])} is not a supported PEFT method`, 'a PEFT adapter_config.json has "peft_type", e.g. "LORA"');
    reqs = [{ formula: f, options: { ...adapter }, explicit: false }];
  } else if (flags.method?.length) reqs = flags.method.map((s) => ({ ...parseSpec(s), explicit: true }));
  else {
    const ids = flags.methods === undefined ? "default" : flags.methods === "all" ? "all" : flags.methods.split(",").map((s) => s.trim()).filter(Boolean);
    if (Array.isArray(ids)) for (const id of ids) if (!findFormula(id)) throw new UsageError("UNKNOWN_METHOD", `--methods: unknown method "${id}"`, `${didYouMean(id, FORMULAS.map((f) => f.id))}see "peftcount methods"`);
    reqs = panel(inv, ids).map((p) => ({ ...p, explicit: false }));
  }
  for (const { formula, options, explicit } of reqs) {
    methods.push(formula);
    if (formula.id === "full") continue;
    const raw: RawOptions = { ...options };
    for (const k of applyFlags(formula, raw, optionFlags, new Set(explicit ? Object.keys(options) : []))) used.add(k);
    rows.push({ formula, options: raw, origins: new Map(Object.keys(raw).map((k) => [k, "command line"])) });
  }
  rejectUnusedFlags(optionFlags, used, methods.length ? methods : [...FORMULAS]);
  return rows;
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
  const rows = requests(flags, rest, inv, file);
  if (rows.length === 0) throw new UsageError("NO_ROWS", "--no-full leaves no rows", "add --method, --methods or --adapter");
  const explicit = Boolean(flags.method?.length) || flags.adapter !== undefined;
  const report = buildMemoryReport(await reportFor(ref, inv, rows, ctx, { skipInapplicable: !explicit }), inv, setup, gpu);
  for (const s of report.skipped ?? []) io.stderr(`note: ${s.method} skipped: ${s.reason}\n`);
  for (const row of report.rows) for (const w of row.warnings) io.stderr(`warning: ${row.method}: ${w}\n`);
  const format = formatOf(flags);
  if (format === "json") io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === "markdown") io.stdout(renderMemoryMarkdown(report));
  else if (format === "csv") io.stdout(renderMemoryCsv(report));
  else io.stdout(renderMemoryTable(report, createColours({ isTTY: io.isTTY, env: io.env, noColor: !flags.color }), io.columns));
}
