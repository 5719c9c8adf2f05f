/**
 * Inputs resolved before a command runs (Hub downloads, GGUF headers, training YAML: the asynchronous
 * sources), keyed by the name the user gave, per Io. `loadModelConfig` / `loadAdapter` look here first, so
 * every command that takes --model / --adapter reads these sources with no change of its own.
 */
import type { RawConfig } from "../../model/config.js";
import type { ModelRef } from "../../report/build.js";
import type { Io } from "../io.js";

export interface PreparedModel {
  readonly ref: ModelRef;
  readonly config: RawConfig;
}

export interface PreparedAdapter {
  readonly path: string;
  readonly adapter: Record<string, unknown>;
}

const models = new WeakMap<Io, Map<string, PreparedModel>>();
const adapters = new WeakMap<Io, Map<string, PreparedAdapter>>();

const table = <T>(m: WeakMap<Io, Map<string, T>>, io: Io) => {
  let t = m.get(io);
  if (!t) m.set(io, (t = new Map()));
  return t;
};

export const prepareModel = (io: Io, name: string, m: PreparedModel) => void table(models, io).set(name, m);
export const preparedModel = (io: Io, name: string) => models.get(io)?.get(name);
export const prepareAdapter = (io: Io, name: string, a: PreparedAdapter) => void table(adapters, io).set(name, a);
export const preparedAdapter = (io: Io, name: string) => adapters.get(io)?.get(name);

/** Tensors of a checkpoint read asynchronously (a GGUF header), named as transformers names them, for `verify`. */
export interface PreparedCheckpoint {
  readonly files: readonly string[];
  readonly tensors: readonly { readonly name: string; readonly dtype: string; readonly shape: readonly number[] }[];
  /** tensors the mapping to transformers names did not know (reported as extra by verify) */
  readonly unmapped: readonly string[];
}
const checkpoints = new WeakMap<Io, Map<string, PreparedCheckpoint>>();
export const prepareCheckpoint = (io: Io, name: string, c: PreparedCheckpoint) => void table(checkpoints, io).set(name, c);
export const preparedCheckpoint = (io: Io, name: string) => checkpoints.get(io)?.get(name);
