/**
 * `peftcount verify --model <checkpoint>`: what a checkpoint holds (tensors, parameters per dtype, quantized
 * storage against logical parameters), and, when its config.json is beside it (or a GGUF names its
 * architecture), every difference from the model peftcount builds: missing, extra, shape mismatch.
 * Exit 0 when there is none, 1 when there are differences (listed on stdout, summed up in the error).
 */
import { modelParams as totalOf } from "../../model/compact.js";
import { resolve } from "node:path";
import { InputError } from "../../errors.js";
import { quantSummary } from "../../model/sources/quantized.js";
import { countByDtype, type TensorEntry } from "../../model/sources/safetensors.js";
import { verifyCheckpoint, type VerifyResult } from "../../model/sources/verify.js";
import { grouped } from "../../render/format.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";
import { loadInventory, type ModelFlags } from "../load.js";
import { findCheckpoint } from "../sources/checkpoint.js";
import { preparedCheckpoint } from "../sources/prepared.js";

export async function runVerify(opts: Record<string, unknown>, _rest: string[], io: Io): Promise<void> {
  const o = opts as unknown as ModelFlags & OutputOptions;
  if (o.model === undefined) throw new InputError("MODEL_REQUIRED", "verify needs --model <checkpoint>", "a .safetensors file, a model.safetensors.index.json, a folder holding them, or a .gguf file");
  const prepared = preparedCheckpoint(io, o.model);
  const local = prepared ? undefined : findCheckpoint(io, o.model);
  // a Hub id (or a preset, through its Hub id): the headers over HTTP range requests, the config as --model reads it
  const remote = prepared || local || io.stat?.(resolve(io.cwd, o.model)) ? undefined : await (await import("../sources/remote-weights.js")).remoteCheckpoint(io, o.model);
  const found = local ?? (remote ? { ...remote, configPath: o.model } : undefined);
  const ck = prepared ?? found;
  if (!ck) throw new InputError("NOT_A_CHECKPOINT", `${o.model} is not a checkpoint peftcount can read`, "pass a .safetensors file, a model.safetensors.index.json, a folder holding them, or a .gguf file");
  const tensors: readonly TensorEntry[] = ck.tensors;
  const { byDtype, total } = countByDtype(tensors);
  const quant = quantSummary(tensors);
  // a GGUF names its architecture (its config was prepared); a safetensors checkpoint needs its config.json
  const modelName = prepared ? o.model : found?.configPath;
  const built = modelName !== undefined ? loadInventory(io, { ...o, model: modelName }) : undefined;
  // llama.cpp's own tensors (rope_freqs) are not parameters of the transformers model: listed, not differences
  const unmapped = new Set(prepared?.unmapped ?? []);
  const diff = built ? verifyCheckpoint(built.inv, tensors.filter((t) => !unmapped.has(t.name))) : undefined;
  const modelParams = built ? totalOf(built.inv) : undefined;
  const differences = diff ? diff.missing.length + diff.extra.length + diff.shapeMismatch.length : 0;
  const report = {
    checkpoint: { files: ck.files, tensors: tensors.length, params: total, paramsByDtype: byDtype, ...(quant.schemes.length ? { quantization: quant.schemes, logicalParams: quant.logical } : {}) },
    model: built ? { id: built.ref.id, source: built.ref.source, modelClass: built.inv.modelClass, params: modelParams } : null,
    ...(unmapped.size ? { notTransformers: [...unmapped] } : {}),
    ...(diff ? { matched: diff.matched, prefix: diff.prefix, missing: diff.missing, extra: diff.extra, shapeMismatch: diff.shapeMismatch } : {}),
  };
  if (formatOf(o) === "json") io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(renderText(report.checkpoint, built && modelParams !== undefined ? { id: built.ref.id, modelClass: built.inv.modelClass, params: modelParams } : undefined, diff));
  if (unmapped.size) io.stderr(`note: ${[...unmapped].join(", ")}: llama.cpp tensor${unmapped.size === 1 ? "" : "s"} with no transformers parameter (not a difference)\n`);
  if (!built) io.stderr(`note: no config.json beside ${o.model}: only the checkpoint's own counts are reported\n`);
  if (differences > 0)
    throw new InputError("CHECKPOINT_MISMATCH", `${differences} difference${differences === 1 ? "" : "s"} between ${o.model} and the model built from its config`, "a checkpoint with extra layers or buffers, another task head, or a config.json from another model");
}

function renderText(ck: { files: readonly string[]; tensors: number; params: number; paramsByDtype: Readonly<Record<string, number>>; quantization?: readonly string[]; logicalParams?: number }, model: { id: string; modelClass: string; params: number } | undefined, diff: VerifyResult | undefined): string {
  const lines = [`checkpoint  ${ck.files.length} file${ck.files.length === 1 ? "" : "s"}, ${grouped(ck.tensors)} tensors, ${grouped(ck.params)} parameters`];
  for (const [dtype, n] of Object.entries(ck.paramsByDtype).sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`  ${dtype.padEnd(10)}${grouped(n).padStart(16)}`);
  if (ck.quantization) lines.push(`quantized   ${ck.quantization.join(", ")}: ${grouped(ck.logicalParams!)} logical parameters (stored: ${grouped(ck.params)} elements)`);
  if (model && diff) {
    lines.push(`model       ${model.id} (${model.modelClass}), ${grouped(model.params)} parameters`);
    lines.push(`matched     ${grouped(diff.matched)} tensors${diff.prefix ? ` (checkpoint names ${diff.prefix.startsWith("+") ? `without "${diff.prefix.slice(1)}"` : `under "${diff.prefix}"`})` : ""}${diff.quantized ? `, ${grouped(diff.quantized)} quantized tensors by module` : ""}`);
    const section = (title: string, rows: string[]) => rows.length && lines.push(`${title}: ${rows.length}`, ...rows.map((r) => `  ${r}`));
    section("missing (in the model, not in the checkpoint)", diff.missing.map((m) => `${m.name} [${m.shape.join(", ")}]`));
    section("extra (in the checkpoint, not a parameter of the model)", diff.extra.map((m) => `${m.name} [${m.shape.join(", ")}]`));
    section("shape mismatch", diff.shapeMismatch.map((m) => `${m.name}: model [${m.model.join(", ")}], checkpoint [${m.checkpoint.join(", ")}]`));
    if (!diff.missing.length && !diff.extra.length && !diff.shapeMismatch.length) lines.push("no differences");
  }
  return `${lines.join("\n")}\n`;
}
