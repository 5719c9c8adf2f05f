/**
 * `count --axolotl config.yml` / `--llama-factory config.yaml`: the YAML read (bounded, with the `yaml`
 * package, loaded on this path only) and mapped to the adapter_config.json that tool hands to PEFT
 * (src/model/sources/training-config.ts). The result is what `--adapter <the YAML>` then reads.
 */
import { loadYaml } from "../yaml.js";
import { resolve } from "node:path";
import { InputError, UsageError } from "../../errors.js";
import { fromAxolotl, fromLlamaFactory } from "../../model/sources/training-config.js";
import type { Io } from "../io.js";
import { readBoundedText } from "../read-json.js";
import { prepareAdapter } from "./prepared.js";

const MAX_YAML = 1024 * 1024;

export async function prepareTrainingConfig(io: Io, file: string, kind: "axolotl" | "llama-factory", o: Record<string, unknown>): Promise<string> {
  if (typeof o["adapter"] === "string") throw new UsageError("CONFLICTING_FLAGS", `--${kind} and --adapter cannot be combined`, "count one adapter: a training config or an adapter_config.json");
  if (o["method"] !== undefined) throw new UsageError("CONFLICTING_FLAGS", `--${kind} and --method cannot be combined`, "the training config names the method");
  const abs = resolve(io.cwd, file);
  let text: string;
  try {
    text = readBoundedText(io, abs, MAX_YAML);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError("FILE_NOT_READABLE", `cannot read ${abs} (${(e as NodeJS.ErrnoException).code ?? "error"})`, `pass the ${kind} YAML config`);
  }
  const YAML = await loadYaml();
  let doc: unknown;
  try {
    doc = YAML.parse(text, { maxAliasCount: 1000 });
  } catch (e) {
    const err = e as { message?: string; linePos?: { line: number; col: number }[] };
    const at = err.linePos?.[0] ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : "";
    throw new InputError("INVALID_YAML", `${file} is not valid YAML${at}: ${(err.message ?? "").split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`, `fix the YAML syntax of ${file}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new InputError("INVALID_TRAINING_CONFIG", `${file} must hold a YAML mapping (an ${kind} config)`, "");
  const { adapter, warnings } = kind === "axolotl" ? fromAxolotl(doc as Record<string, unknown>, file) : fromLlamaFactory(doc as Record<string, unknown>, file);
  for (const w of warnings) io.stderr(`warning: ${w}\n`);
  prepareAdapter(io, file, { path: abs, adapter });
  return file;
}
