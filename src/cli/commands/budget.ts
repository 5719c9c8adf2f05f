/**
 * `peftcount budget`: the largest value of the method's size knob (LoRA's r, prompt tokens, FourierFT's
 * n_frequency, ...) whose count fits --max-trainable or whose file fits --max-adapter-size (for --dtype), or
 * the value closest to --percent of the model; with its exact count and the next value's. --json prints the
 * usual report (rows[0] is the chosen value) with a `budget` section. AdapterHub configs (adapters: ids, config
 * strings, saved files) are counted by AdapterHub (adapterhub-knob.ts); their reduction_factor falls as it grows,
 * so the answer is the smallest factor that fits. Their saved files are not sized: --max-adapter-size refused.
 */
import { findFormula } from "../../../formulas/index.js";
import { InputError, UsageError } from "../../errors.js";
import { DEFAULT_MAX_KNOB, solveBudget, solveBudgetFor, type BudgetTarget } from "../../budget/budget.js";
import { SIZE_KNOBS, sizeKnobOf, type SizeKnob } from "../../budget/knobs.js";
import { formatDecimal, parseByteSize, parseParamCount, parsePercent } from "../../budget/units.js";
import type { BudgetSection, GatesReport } from "../../report/gates-schema.js";
import { renderBudgetText } from "../../render/budget.js";
import { createColours } from "../../render/colours.js";
import { renderCsv, renderMarkdown } from "../../render/text-formats.js";
import { parseDtype, resolveRow, sizedReport, sizeWarnings, type RowFlags } from "../gates-row.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";
import { optionKeys, parseOptionFlags } from "../method-args.js";
import { withRegexEngine } from "../regex-engine.js";
import { loadAdapter } from "../load.js";
import { adapterHubInput, adapterHubKnob, adapterHubReportOf, adapterHubSubject, knobRow, refuseSizes, type AdapterHubInput } from "./adapterhub-knob.js";

type Flags = RowFlags & OutputOptions & { maxTrainable?: string; percent?: string; maxAdapterSize?: string; knob?: string; maxValue?: string };

function targetOf(flags: Flags): { target: BudgetTarget; shown: number | string } {
  const given = [flags.maxTrainable, flags.percent, flags.maxAdapterSize].filter((x) => x !== undefined).length;
  if (given !== 1)
    throw new UsageError(given === 0 ? "NO_LIMITS" : "CONFLICTING_FLAGS", given === 0 ? "budget needs a target" : "budget takes one target", "pass one of --max-trainable 20M, --percent 1, --max-adapter-size 50MB");
  if (flags.maxTrainable !== undefined) {
    const max = parseParamCount(flags.maxTrainable, "--max-trainable");
    return { target: { kind: "trainable", max }, shown: max };
  }
  if (flags.percent !== undefined) {
    const percent = parsePercent(flags.percent, "--percent");
    return { target: { kind: "percent", percent }, shown: formatDecimal(percent) };
  }
  const maxBytes = parseByteSize(flags.maxAdapterSize!, "--max-adapter-size");
  return { target: { kind: "adapter-size", maxBytes }, shown: maxBytes };
}

function knobFor(methodId: string, explicit: string | undefined, keys: readonly string[]): SizeKnob {
  if (explicit !== undefined) {
    if (!keys.includes(explicit)) throw new UsageError("UNKNOWN_OPTION", `--knob: ${methodId} has no option "${explicit}"`, `options of ${methodId}: ${keys.join(", ")}`);
    return { key: explicit, min: sizeKnobOf(methodId)?.key === explicit ? sizeKnobOf(methodId)!.min : 1 };
  }
  const k = sizeKnobOf(methodId);
  if (!k) throw new UsageError("NO_SIZE_KNOB", `${methodId} has no single integer size knob to search`, `methods with one: ${Object.keys(SIZE_KNOBS).join(", ")}; or name an integer option with --knob`);
  return k;
}

type Answer = ReturnType<typeof solveBudgetFor>;

function nextSection(n: Answer["next"]): BudgetSection["next"] {
  if (!n) return null;
  if ("refused" in n) return { value: n.value, refused: n.refused };
  return { value: n.value, trainableParams: n.result.row.trainableParams, allParams: n.result.row.allParams, ...(n.result.size ? { adapterBytes: n.result.size.bytes } : {}) };
}

/** `open`: the search ended where the knob saturates (knob.endsAt), so the run goes on past it */
function budgetSection(knob: SizeKnob, target: BudgetTarget, shown: number | string, answer: Answer, open?: number): BudgetSection {
  return {
    knob: knob.key,
    target: { kind: target.kind, value: shown },
    value: answer.chosen?.value ?? null,
    next: nextSection(answer.next),
    evaluations: answer.evaluations,
    capped: answer.capped,
    ...(answer.plateau ? { plateau: true } : {}),
    ...(knob.direction === "down" ? { direction: "down" as const } : {}),
    ...(answer.same ? { same: { ...answer.same, ...(open !== undefined && answer.same.to === open ? { open: true } : {}) } } : {}),
  };
}

function print(io: Io, flags: Flags, report: GatesReport, answer: Answer, knob: SizeKnob): void {
  for (const w of report.model.warnings ?? []) io.stderr(`warning: ${w}\n`);
  sizeWarnings(io, report.rows);
  switch (formatOf(flags)) {
    case "json":
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      break;
    case "csv":
      io.stdout(renderCsv(report));
      break;
    case "markdown":
      io.stdout(renderMarkdown(report));
      break;
    default:
      io.stdout(renderBudgetText(report, createColours({ isTTY: io.isTTY, env: io.env, noColor: !flags.color }), io.columns));
  }
  if (!answer.chosen) {
    const at = answer.next?.value ?? knob.min;
    throw new InputError("NO_FIT", `no ${knob.key} fits: ${knob.key}=${at} already exceeds the target${knob.direction === "down" ? ` (the smallest count: ${knob.key} counts fall as it grows)` : ""}`, "raise the limit, or target fewer modules");
  }
}

/** budget on an AdapterHub config: AdapterHub's count at each value; no file sizes (not modelled for AdapterHub). */
async function runAdapterHubBudget(io: Io, flags: Flags, rest: string[], input: AdapterHubInput, target: BudgetTarget, shown: number | string, maxValue: number | undefined): Promise<void> {
  if (target.kind === "adapter-size") refuseSizes("--max-adapter-size");
  if (flags.dtype !== undefined) refuseSizes("--dtype");
  const optionFlags = parseOptionFlags(rest);
  const s = adapterHubSubject(io, flags, optionFlags, input);
  const knob = adapterHubKnob(s, flags.knob);
  if (optionFlags.has(knob.key) || ("spec" in input && new RegExp(`(^|[\\s\\[,])${knob.key}\\s*=`).test(input.spec)))
    io.stderr(`note: ${knob.key} is what budget searches; the value given is ignored\n`);
  if (s.config.options[knob.key] !== null && typeof s.config.options[knob.key] === "object")
    io.stderr(`note: ${knob.key} was a per-layer mapping; budget searches one value for every layer\n`);
  const max = maxValue ?? knob.endsAt?.(s.inv) ?? DEFAULT_MAX_KNOB;
  const answer = solveBudgetFor({ knob, target, max, evaluate: (v) => ({ row: knobRow(s, knob.key, v) }), sizes: false });
  const report: GatesReport = { ...(await adapterHubReportOf(s, answer.chosen ? [answer.chosen.row] : [])), budget: budgetSection(knob, target, shown, answer, maxValue === undefined && knob.endsAt ? max : undefined) };
  print(io, flags, report, answer, knob);
}

export async function runBudget(opts: Record<string, unknown>, rest: string[], io: Io): Promise<void> {
  const flags = opts as unknown as Flags;
  const { target, shown } = targetOf(flags);
  const maxValue = flags.maxValue === undefined ? undefined : Number(flags.maxValue);
  if (maxValue !== undefined && (!Number.isSafeInteger(maxValue) || maxValue < 1)) throw new UsageError("INVALID_FLAG", `--max-value must be a positive whole number (got "${flags.maxValue}")`, "e.g. --max-value 4096");
  const file = flags.adapter !== undefined && flags.method === undefined ? loadAdapter(io, flags.adapter) : undefined;
  const hub = adapterHubInput(flags, file);
  if (hub) return runAdapterHubBudget(io, flags, rest, hub, target, shown, maxValue);
  const dtype = parseDtype(flags.dtype) ?? (target.kind === "adapter-size" ? "fp32" : undefined);
  const optionFlags = parseOptionFlags(rest);
  const row = resolveRow(io, flags, optionFlags, file);
  const knob = knobFor(row.formula.id, flags.knob, optionKeys(findFormula(row.formula.id) ?? row.formula));
  if (optionFlags.has(knob.key) || row.origins.get(knob.key) === "command line")
    io.stderr(`note: ${knob.key} is what budget searches; the value given is ignored\n`);
  // validate the rest of the options once, with errors mapped to flags / the file
  await sizedReport(row, undefined, { ...row.options, [knob.key]: knob.min });
  const answer = await withRegexEngine(() => solveBudget({ inv: row.inv, formula: row.formula, options: row.options, knob, target, dtype, autocastAdapterDtype: row.autocastAdapterDtype, ctx: row.ctx, max: maxValue ?? DEFAULT_MAX_KNOB }));
  const chosenValue = answer.chosen?.value ?? knob.min;
  const base = await sizedReport(row, dtype, { ...row.options, [knob.key]: chosenValue });
  const report: GatesReport = { ...base, rows: answer.chosen ? base.rows : [], budget: budgetSection(knob, target, shown, answer) };
  print(io, flags, report, answer, knob);
}
