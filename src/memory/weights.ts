/**
 * The base model's own tensors as stored on the device: every parameter of the inventory once (tied tensors at
 * their owner), in the load dtype, or quantized by bitsandbytes.
 *
 * Which modules bitsandbytes replaces (transformers integrations/bitsandbytes.py `replace_with_bnb_linear`):
 * exactly `nn.Linear` (not subclasses) and transformers' `Conv1D`, unless `should_convert_module` refuses the name
 * (quantizers_utils.py: a skip key matches at the start of the name as a regex, or ends it). The skip keys
 * (quantizers/base.py `get_modules_to_not_convert`) are llm_int8_skip_modules when given, else
 * `get_keys_to_not_convert`: both sides of every tied weight, the module of the last parameter
 * `named_parameters()` yields, and `get_output_embeddings()` (lm_head). Embeddings, norms and biases are never
 * quantized: they stay in the load dtype (fp32 after prepare_model_for_kbit_training, which upcasts every fp16 /
 * bf16 parameter that is not a Params4bit: peft utils/other.py).
 * Not modelled: a model class's `_keep_in_fp32_modules` (kept in fp32 and unquantized), non-persistent buffers
 * (rotary inv_freq), quantized checkpoints loaded as stored.
 */
import type { Inventory, ParamModule } from "../model/types.js";
import { numel } from "../model/types.js";
import { quantizedBytes } from "./bnb.js";
import { DTYPE_BYTES, type Dtype, type MemorySetup, type Quantization } from "./types.js";

/** One distinct parameter tensor of the base model. */
export interface BaseTensor {
  /** full name, e.g. `model.layers.0.self_attn.q_proj.weight` */
  readonly name: string;
  readonly module: ParamModule;
  readonly shape: readonly number[];
  readonly numel: bigint;
}

/** Every parameter once (a tied parameter is counted at the tensor it is tied to). */
export function baseTensors(inv: Inventory): BaseTensor[] {
  const out: BaseTensor[] = [];
  for (const m of inv.modules)
    for (const p of m.params) if (p.tiedTo === undefined) out.push({ name: `${m.name}.${p.name}`, module: m, shape: p.shape, numel: BigInt(numel(p.shape)) });
  return out;
}

/** transformers' default skips: tied weights (both sides), the last parameter's module, the output embeddings. */
export function defaultSkipKeys(inv: Inventory): string[] {
  // parameter names with ".weight" removed (`k.removesuffix(".weight")`): a last parameter that is a bias stays
  // "score.bias" and then matches no module name
  const keys = new Set<string>();
  const key = (param: string) => param.replace(/\.weight$/, "");
  let last: string | undefined;
  for (const m of inv.modules)
    for (const p of m.params) {
      if (p.tiedTo !== undefined) {
        keys.add(key(`${m.name}.${p.name}`));
        keys.add(key(p.tiedTo));
      } else last = `${m.name}.${p.name}`;
    }
  if (last !== undefined) keys.add(key(last));
  if (inv.outputEmbeddings !== undefined) keys.add(inv.outputEmbeddings);
  return [...keys];
}

/** should_convert_module: no key matches at the start of the name (a Python regex) or ends it. */
function converts(name: string, keys: readonly string[]): boolean {
  return !keys.some((k) => name.endsWith(k) || safeRegex(k).test(name));
}

function safeRegex(k: string): RegExp {
  try {
    return new RegExp(`^(?:${k})`);
  } catch {
    return new RegExp(`^${k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
  }
}

/** Names of the modules bitsandbytes replaces with Linear4bit / Linear8bitLt. */
export function quantizedModules(inv: Inventory, q: Quantization): Set<string> {
  const keys = q.skipModules ?? defaultSkipKeys(inv);
  const out = new Set<string>();
  for (const m of inv.modules) {
    const replaced = (m.kind === "linear" && m.className === "Linear") || (m.kind === "conv1d" && m.className === "Conv1D");
    if (replaced && converts(m.name, keys)) out.add(m.name);
  }
  return out;
}

/** The dtype an unquantized base parameter is stored in. */
export function storageDtype(setup: MemorySetup): Dtype {
  return setup.kbitUpcast ? "fp32" : setup.dtype;
}

export interface BaseWeights {
  /** bitsandbytes-replaced linears: packed / int8 weights */
  readonly quantizedData: bigint;
  /** their absmax / SCB, offsets, nested states and code tables */
  readonly quantizedState: bigint;
  readonly quantizedModules: number;
  /** every other parameter (embeddings, norms, biases, unquantized linears, lm_head) in its storage dtype */
  readonly unquantized: bigint;
  readonly total: bigint;
  /** module names that were quantized (their `weight` is not a float tensor) */
  readonly quantized: ReadonlySet<string>;
}

export function baseWeights(inv: Inventory, setup: MemorySetup): BaseWeights {
  const q = setup.quantization;
  const quantized = q ? quantizedModules(inv, q) : new Set<string>();
  const per = DTYPE_BYTES[storageDtype(setup)];
  let data = 0n;
  let state = 0n;
  let rest = 0n;
  for (const t of baseTensors(inv)) {
    if (q && quantized.has(t.module.name) && t.name === `${t.module.name}.weight` && (t.module.kind === "linear" || t.module.kind === "conv1d")) {
      const b = quantizedBytes(q, BigInt(t.module.outFeatures), BigInt(t.module.inFeatures));
      data += b.data;
      state += b.state;
    } else rest += t.numel * per;
  }
  return { quantizedData: data, quantizedState: state, quantizedModules: quantized.size, unquantized: rest, total: data + state + rest, quantized };
}
