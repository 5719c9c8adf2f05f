/**
 * `peftcount check`: fail a CI job when an adapter exceeds its budget. Exit 0 when every limit holds (equal
 * holds), 1 when one fails (the report still goes to stdout — JSON with a `check` section under --json, a
 * PR comment with --format markdown — and stderr names what failed), 2 for a malformed limit or limits file.
 */
import { InputError, UsageError } from "../../errors.js";
import { BYTE_FORMS, PARAM_FORMS, PERCENT_FORMS, limitText, parseByteSize, parseParamCount, parsePercent } from "../../budget/units.js";
import { checkLimits, unmatchedTargets, type Limits } from "../../report/check.js";
import type { GatesReport } from "../../report/gates-schema.js";
import { renderCheckMarkdown, renderCheckTable } from "../../render/check.js";
import { createColours } from "../../render/colours.js";
import { formatBytes } from "../../budget/units.js";
import { parseDtype, resolveRow, sizedReport, sizeWarnings, type RowFlags } from "../gates-row.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";
import { findLimitsFile, type LimitsFile } from "../limits-file.js";
import { parseOptionFlags } from "../method-args.js";
import { loadAdapter } from "../load.js";
import { findFormula } from "../../../formulas/index.js";
import { isAdapterHubSpec, looksLikeAdapterHubFile } from "./adapterhub.js";
import { adapterHubReport, type AdapterHubSource } from "./count-adapterhub.js";
import { grouped } from "../../render/format.js";

/** An AdapterHub adapter file or spec (config string, `adapters:` id), which check counts with AdapterHub's convention. */
function adapterHubSource(flags: RowFlags, file: { path: string; adapter: Record<string, unknown> } | undefined): AdapterHubSource | undefined {
  if (file) return looksLikeAdapterHubFile(file.adapter) ? { file: file.path, adapter: file.adapter } : undefined;
  const spec = flags.method?.[0];
  return spec !== undefined && isAdapterHubSpec(spec, (id) => findFormula(id) !== undefined) ? { spec } : undefined;
}

type Flags = RowFlags &
  OutputOptions & { maxTrainable?: string; maxPercent?: string; maxPercentOfFull?: string; maxAdapterSize?: string; failOnUnmatchedTargets?: boolean; limits?: string };

/** Flag value, else the limits file's (labelled by where it came from). */
function pick(flags: Flags, file: LimitsFile | undefined, key: "maxTrainable" | "maxPercent" | "maxPercentOfFull" | "maxAdapterSize", flag: string, forms: string): { text: string; label: string } | undefined {
  const own = flags[key];
  if (own !== undefined) return { text: own, label: flag };
  const v = file?.values[key];
  if (v === undefined || v === null) return undefined;
  return { text: limitText(v, `${file!.path}: ${key}`, forms), label: `${file!.path}: ${key}` };
}

function limitsOf(flags: Flags, file: LimitsFile | undefined): Limits {
  const t = pick(flags, file, "maxTrainable", "--max-trainable", PARAM_FORMS);
  const p = pick(flags, file, "maxPercent", "--max-percent", PERCENT_FORMS);
  const f = pick(flags, file, "maxPercentOfFull", "--max-percent-of-full", PERCENT_FORMS);
  const s = pick(flags, file, "maxAdapterSize", "--max-adapter-size", BYTE_FORMS);
  const unmatched = flags.failOnUnmatchedTargets ?? file?.values.failOnUnmatchedTargets;
  if (unmatched !== undefined && typeof unmatched !== "boolean")
    throw new UsageError("INVALID_LIMITS_FILE", `${file!.path}: failOnUnmatchedTargets must be true or false (got ${JSON.stringify(unmatched)})`, "e.g. \"failOnUnmatchedTargets\": true");
  return {
    maxTrainable: t && parseParamCount(t.text, t.label),
    maxPercent: p && parsePercent(p.text, p.label),
    maxPercentOfFull: f && parsePercent(f.text, f.label),
    maxAdapterSize: s && parseByteSize(s.text, s.label),
    failOnUnmatchedTargets: unmatched === true,
  };
}

function fileString(file: LimitsFile | undefined, key: "model" | "adapter" | "task" | "dtype"): string | undefined {
  const v = file?.values[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new UsageError("INVALID_LIMITS_FILE", `${file!.path}: ${key} must be a string (got ${JSON.stringify(v)})`, `e.g. "${key}": "..."`);
  return v;
}

function summary(report: GatesReport): string {
  const failed = report.check!.limits.filter((l) => !l.pass);
  return failed
    .map((l) => {
      if (l.limit === "failOnUnmatchedTargets") return `target_modules entries match no module: ${(l.actual as string[]).map((t) => `"${t}"`).join(", ")}`;
      if (l.limit === "maxTrainable") return `trainable ${grouped(l.actual as number)} > ${grouped(l.max as number)} (over by ${grouped(l.over ?? 0)})`;
      if (l.limit === "maxAdapterSize") return `adapter ${formatBytes(l.actual as number)} > ${formatBytes(l.max as number)} (over by ${grouped(l.over ?? 0)} bytes)`;
      return `${l.limit === "maxPercent" ? "trainable%" : "% of full FT"} ${(l.actual as number).toFixed(4)} > ${String(l.max)}`;
    })
    .join("; ");
}

export async function runCheck(opts: Record<string, unknown>, rest: string[], io: Io): Promise<void> {
  const flags = opts as unknown as Flags;
  const file = await findLimitsFile(io, flags.limits);
  const limits = limitsOf(flags, file);
  const any = limits.maxTrainable !== undefined || limits.maxPercent !== undefined || limits.maxPercentOfFull !== undefined || limits.maxAdapterSize !== undefined || limits.failOnUnmatchedTargets;
  if (!any)
    throw new UsageError("NO_LIMITS", "check needs a limit", "pass --max-trainable 20M, --max-percent 0.5, --max-percent-of-full 1, --max-adapter-size 100MB or --fail-on-unmatched-targets, or keep them in peftcount.json");
  const model = flags.model ?? fileString(file, "model");
  const adapter = flags.adapter ?? (flags.method === undefined ? fileString(file, "adapter") : undefined);
  const task = flags.task ?? fileString(file, "task");
  const dtype = parseDtype(flags.dtype ?? fileString(file, "dtype")) ?? (limits.maxAdapterSize !== undefined ? "fp32" : undefined);
  const rowFlags = { ...flags, ...(model !== undefined ? { model } : {}), ...(adapter !== undefined ? { adapter } : {}), ...(task !== undefined ? { task } : {}) };
  if (rowFlags.adapter !== undefined && rowFlags.method !== undefined) throw new UsageError("CONFLICTING_FLAGS", "--adapter and --method cannot be combined", "one adapter file, or one method spec");
  // the adapter file is read once, for both conventions
  const adapterFile = rowFlags.adapter !== undefined && rowFlags.method === undefined ? loadAdapter(io, rowFlags.adapter) : undefined;
  const hub = adapterHubSource(rowFlags, adapterFile);
  if (hub && (limits.maxAdapterSize !== undefined || limits.failOnUnmatchedTargets))
    throw new UsageError("LIMIT_NOT_APPLICABLE", `${limits.maxAdapterSize !== undefined ? "--max-adapter-size" : "--fail-on-unmatched-targets"} applies to PEFT adapters; an AdapterHub adapter has no PEFT safetensors layout or target_modules`, "check an AdapterHub adapter with --max-trainable, --max-percent or --max-percent-of-full");
  let base: GatesReport;
  let unmatched: string[] = [];
  if (hub) base = await adapterHubReport(rowFlags, rest, io, hub);
  else {
    const row = resolveRow(io, rowFlags, parseOptionFlags(rest), adapterFile);
    base = await sizedReport(row, dtype);
    unmatched = unmatchedTargets(row.inv, base.rows[0]!.options["target_modules"]);
  }
  const first = base.rows[0]!;
  const check = checkLimits(first, limits, unmatched);
  const report: GatesReport = { ...base, check: { ...check, ...(file ? { limitsFile: file.path } : {}) } };
  for (const w of report.model.warnings ?? []) io.stderr(`warning: ${w}\n`);
  for (const w of first.warnings) io.stderr(`warning: ${first.method}: ${w}\n`);
  sizeWarnings(io, report.rows);
  switch (formatOf(flags)) {
    case "json":
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      break;
    case "markdown":
      io.stdout(renderCheckMarkdown(report));
      break;
    case "csv":
      io.stdout(["limit,max,actual,pass,over", ...check.limits.map((l) => [l.limit, String(l.max), Array.isArray(l.actual) ? `"${l.actual.join(" ")}"` : String(l.actual), String(l.pass), l.over === undefined ? "" : String(l.over)].join(","))].join("\r\n") + "\r\n");
      break;
    default:
      io.stdout(renderCheckTable(report, createColours({ isTTY: io.isTTY, env: io.env, noColor: !flags.color }), io.columns));
  }
  if (!check.pass) throw new InputError("CHECK_FAILED", `check failed: ${summary(report)}`, "raise the limit, or shrink the adapter (a smaller r, fewer target_modules); \"peftcount budget\" finds the largest r that fits");
}
