/**
 * `peftcount sweep`: one method, one option varied over a list — `--r 1,2,4,8..256`, `--r pow2:1..256`,
 * `--num-virtual-tokens 10..100:10` — with the exact counts (and adapter file size for --dtype) of each
 * value: a table with a bar chart, CSV, JSON (the usual report, one row per value, plus a `sweep` section) or
 * markdown.
 */
import { UsageError } from "../../errors.js";
import { sizeKnobOf } from "../../budget/knobs.js";
import { isSweepSpec, parseValues, VALUE_FORMS } from "../../budget/values.js";
import type { GatesReport } from "../../report/gates-schema.js";
import { createColours } from "../../render/colours.js";
import { renderSweepCsv, renderSweepMarkdown, renderSweepTable } from "../../render/sweep.js";
import { reportFor } from "../emit.js";
import { parseDtype, resolveRow, sizeWarnings, withSizes, type RowFlags } from "../gates-row.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";
import { flagName, parseOptionFlags } from "../method-args.js";

type Flags = RowFlags & OutputOptions;

export async function runSweep(opts: Record<string, unknown>, rest: string[], io: Io): Promise<void> {
  const flags = opts as unknown as Flags;
  const optionFlags = parseOptionFlags(rest);
  const swept = [...optionFlags].filter(([, v]) => typeof v === "string" && isSweepSpec(v));
  if (swept.length === 0) {
    const knob = sizeKnobOf(flags.method?.[0]?.trim().split(/\s+/)[0] ?? "lora")?.key ?? "r";
    throw new UsageError("NO_SWEEP", "sweep needs the values of one option", `e.g. ${flagName(knob)} 1,2,4,8..256 or ${flagName(knob)} pow2:1..256 (${VALUE_FORMS})`);
  }
  if (swept.length > 1) throw new UsageError("CONFLICTING_FLAGS", `sweep varies one option (got ${swept.map(([k]) => flagName(k)).join(", ")})`, "give the others one value each");
  const [key, text] = swept[0]! as [string, string];
  const values = parseValues(text, flagName(key));
  optionFlags.delete(key);
  const dtype = parseDtype(flags.dtype);
  const row = resolveRow(io, flags, optionFlags);
  row.origins.set(key, "command line");
  const base = await reportFor(
    row.ref,
    row.inv,
    values.map((v) => ({ formula: row.formula, options: { ...row.options, [key]: v }, origins: row.origins })),
    row.ctx,
  );
  const report: GatesReport = { ...withSizes(base, row, dtype), sweep: { knob: key, values } };
  for (const w of report.model.warnings ?? []) io.stderr(`warning: ${w}\n`);
  for (const w of new Set(report.rows.flatMap((r) => r.warnings))) io.stderr(`warning: ${row.formula.id}: ${w}\n`);
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
