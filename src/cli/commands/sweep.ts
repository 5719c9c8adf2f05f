/**
 * `peftcount sweep`: one method, one option varied over a list — `--r 1,2,4,8..256`, `--r pow2:1..256`,
 * `--num-virtual-tokens 10..100:10` — with the exact counts (and adapter file size for --dtype) of each
 * value: a table with a bar chart, CSV, JSON (the usual report, one row per value, plus a `sweep` section) or
 * markdown. AdapterHub configs sweep their own knobs (`--reduction-factor 2,4,8,16,32`); a value AdapterHub refuses
 * (a Compacter width not divisible by phm_dim) is skipped and named on stderr.
 */
import { InputError, UsageError } from "../../errors.js";
import type { Row } from "../../report/schema.js";
import { sizeKnobOf } from "../../budget/knobs.js";
import { isSweepSpec, parseValues, VALUE_FORMS } from "../../budget/values.js";
import type { GatesReport } from "../../report/gates-schema.js";
import { createColours } from "../../render/colours.js";
import { renderSweepCsv, renderSweepMarkdown, renderSweepTable } from "../../render/sweep.js";
import { reportFor } from "../emit.js";
import { parseDtype, resolveRow, sizeWarnings, withSizes, type RowFlags } from "../gates-row.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";
import { flagName, parseOptionFlags } from "../method-args.js";
import { loadAdapter } from "../load.js";
import { adapterHubInput, adapterHubKnob, adapterHubReportOf, adapterHubSubject, knobRow, refuseSizes, type AdapterHubInput } from "./adapterhub-knob.js";

type Flags = RowFlags & OutputOptions;

/** sweep on an AdapterHub config: AdapterHub's count per value; a value AdapterHub refuses is skipped with its reason. */
async function adapterHubSweep(io: Io, flags: Flags, optionFlags: Map<string, string | true>, input: AdapterHubInput, swept: [string, string] | undefined): Promise<GatesReport> {
  if (flags.dtype !== undefined) refuseSizes("--dtype");
  const s = adapterHubSubject(io, flags, optionFlags, input);
  if (!swept) {
    const knob = adapterHubKnob(s, undefined).key;
    throw new UsageError("NO_SWEEP", "sweep needs the values of one option", `e.g. ${flagName(knob)} 2,4,8,16,32 or ${flagName(knob)} pow2:1..256 (${VALUE_FORMS})`);
  }
  const [key, text] = swept;
  const knob = adapterHubKnob(s, key, flagName(key));
  const rows: Row[] = [];
  const skipped: { method: string; reason: string }[] = [];
  for (const v of parseValues(text, flagName(key))) {
    try {
      rows.push(knobRow(s, knob.key, v));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      skipped.push({ method: `${s.req.method} ${key}=${v}`, reason: e.message });
    }
  }
  if (rows.length === 0) throw new InputError("NOTHING_COUNTED", `every value of ${key} was refused (${skipped[0]?.reason ?? ""})`, `choose values AdapterHub accepts; "peftcount count" shows why one is refused`);
  for (const k of skipped) io.stderr(`note: ${k.method} skipped: ${k.reason}\n`);
  const report = await adapterHubReportOf(s, rows);
  return { ...report, ...(skipped.length ? { skipped: [...(report.skipped ?? []), ...skipped] } : {}), sweep: { knob: key, values: rows.map((r) => r.options[key] as number) } };
}

export async function runSweep(opts: Record<string, unknown>, rest: string[], io: Io): Promise<void> {
  const flags = opts as unknown as Flags;
  const optionFlags = parseOptionFlags(rest);
  const swept = [...optionFlags].filter(([, v]) => typeof v === "string" && isSweepSpec(v));
  if (swept.length > 1) throw new UsageError("CONFLICTING_FLAGS", `sweep varies one option (got ${swept.map(([k]) => flagName(k)).join(", ")})`, "give the others one value each");
  for (const [k] of swept) optionFlags.delete(k);
  const file = flags.adapter !== undefined && flags.method === undefined ? loadAdapter(io, flags.adapter) : undefined;
  const hub = adapterHubInput(flags, file);
  let report: GatesReport;
  if (hub) report = await adapterHubSweep(io, flags, optionFlags, hub, swept[0] as [string, string] | undefined);
  else {
    if (swept.length === 0) {
      const knob = sizeKnobOf(flags.method?.[0]?.trim().split(/\s+/)[0] ?? "lora")?.key ?? "r";
      throw new UsageError("NO_SWEEP", "sweep needs the values of one option", `e.g. ${flagName(knob)} 1,2,4,8..256 or ${flagName(knob)} pow2:1..256 (${VALUE_FORMS})`);
    }
    const [key, text] = swept[0]! as [string, string];
    const values = parseValues(text, flagName(key));
    const dtype = parseDtype(flags.dtype);
    const row = resolveRow(io, flags, optionFlags, file);
    row.origins.set(key, "command line");
    const base = await reportFor(
      row.ref,
      row.inv,
      values.map((v) => ({ formula: row.formula, options: { ...row.options, [key]: v }, origins: row.origins })),
      row.ctx,
    );
    report = { ...withSizes(base, row, dtype), sweep: { knob: key, values } };
  }
  for (const w of report.model.warnings ?? []) io.stderr(`warning: ${w}\n`);
  for (const w of new Set(report.rows.flatMap((r) => r.warnings))) io.stderr(`warning: ${report.rows[0]!.method}: ${w}\n`);
  sizeWarnings(io, report.rows);
  const colour = flags.color && io.isTTY && (io.env["NO_COLOR"] ?? "") === "" && io.env["TERM"] !== "dumb";
  switch (formatOf(flags)) {
    case "json":
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      break;
    case "csv":
      io.stdout(renderSweepCsv(report));
      break;
    case "markdown":
      io.stdout(renderSweepMarkdown(report));
      break;
    default:
      io.stdout(renderSweepTable(report, createColours({ isTTY: io.isTTY, env: io.env, noColor: !flags.color }), { unicode: colour, width: io.isTTY ? io.columns : undefined }));
  }
}
