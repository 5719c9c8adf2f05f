/** Renders a report in the requested format and writes it once to stdout; maps option errors to flags. */
import { OptionsError } from "../../formulas/types.js";
import { InputError, UsageError } from "../errors.js";
import type { Inventory } from "../model/types.js";
import { DEFAULT_VERSIONS, type Versions } from "../versions.js";
import { buildReport, type ModelRef, type ReportOptions, type RowRequest } from "../report/build.js";
import type { ComparisonReport } from "../report/schema.js";
import { createColours } from "../render/colours.js";
import { renderTable } from "../render/table.js";
import { renderCsv, renderJson, renderMarkdown } from "../render/text-formats.js";
import { formatOf, type Io, type OutputOptions } from "./io.js";
import { flagName } from "./method-args.js";
import { withRegexEngine } from "./regex-engine.js";

export type Origin = "command line" | string;

export interface SourcedRow extends RowRequest {
  /** where each option key came from: "command line" (flag or --method) or a file path */
  readonly origins: ReadonlyMap<string, Origin>;
}

/** Builds the report; invalid options given on the command line are usage errors (exit 2). */
export async function reportFor(ref: ModelRef, inv: Inventory, rows: readonly SourcedRow[], ctx: Versions = DEFAULT_VERSIONS, o: ReportOptions = {}): Promise<ComparisonReport> {
  try {
    return await withRegexEngine(() => buildReport(ref, inv, rows, ctx, o));
  } catch (e) {
    if (e instanceof InputError && e.code === "INVALID_REGEX") throw regexError(e, rows);
    if (!(e instanceof OptionsError)) throw e;
    const row = rows.find((r) => e.message.startsWith(`${r.formula.id}:`)) ?? rows[0]!;
    const issue = e.issues[0]!;
    const top = issue.key.split(".")[0]!;
    const origin = row.origins.get(top);
    if (origin === "command line") throw new UsageError("INVALID_FLAG", `${flagName(top)}${issue.key.slice(top.length)} ${issue.message}`, `see "peftcount methods --verbose" for ${row.formula.id}'s options`);
    throw new InputError("INVALID_ADAPTER", `${origin ?? "options"}: ${issue.key} ${issue.message}`, e.hint ?? `fix ${issue.key} in ${origin ?? "the options"}`);
  }
}

/** A pattern RE2 cannot compile: a usage error when typed on the command line, else name the file. */
function regexError(e: InputError, rows: readonly SourcedRow[]): InputError {
  const field = e.message.slice(0, e.message.indexOf(":"));
  const origin = rows.map((r) => r.origins.get(field)).find((o) => o !== undefined);
  if (origin === "command line") return new UsageError(e.code, `${flagName(field)}${e.message.slice(field.length)}`, e.hint);
  return origin === undefined ? e : new InputError(e.code, `${origin}: ${e.message}`, e.hint);
}

export function emit(io: Io, report: ComparisonReport, o: OutputOptions): void {
  const format = formatOf(o);
  for (const w of report.model.warnings ?? []) io.stderr(`warning: ${w}\n`);
  for (const s of report.skipped ?? []) io.stderr(`note: ${s.method} skipped: ${s.reason}\n`);
  for (const row of report.rows) for (const w of row.warnings) io.stderr(`warning: ${row.method}: ${w}\n`);
  switch (format) {
    case "json":
      io.stdout(renderJson(report));
      return;
    case "csv":
      io.stdout(renderCsv(report));
      return;
    case "markdown":
      io.stdout(renderMarkdown(report));
      return;
    case "table":
      io.stdout(renderTable(report, createColours({ isTTY: io.isTTY, env: io.env, noColor: !o.color }), { parts: o.parts ?? report.rows.length <= 4, width: io.columns }));
  }
}
