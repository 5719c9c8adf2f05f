/**
 * Each method's main size knob: the single integer option that budget searches and sweep varies by default
 * (LoRA's rank, prompt tokens, FourierFT's n_frequency, ...). Declared here, per method id, rather than guessed
 * from option names: OFT's `r` counts blocks (its size falls as r grows) and is left out on purpose, as are
 * methods whose knob must divide a model dimension (BOFT, C3A block sizes). `budget` still checks that counts
 * grow with the knob on every value it evaluates (or fall, for a knob declared "down": directed.ts).
 */
import { hiddenSizeOf } from "../adapters/positions.js";
import type { Inventory } from "../model/types.js";

export interface SizeKnob {
  /** the option key (PEFT's name) */
  readonly key: string;
  /** smallest valid value */
  readonly min: number;
  /** "down": the count falls as the knob grows, so budget answers the SMALLEST value that fits (default "up") */
  readonly direction?: "up" | "down";
  /** values in between may be refused (a width that must divide by phm_dim): skipped, not read as "does not fit" */
  readonly sparse?: boolean;
  /** the default end of the search: past it every count is the same, or every value refused */
  readonly endsAt?: (inv: Inventory) => number;
}

export const SIZE_KNOBS: Readonly<Record<string, SizeKnob>> = {
  lora: { key: "r", min: 1 },
  dora: { key: "r", min: 1 },
  adalora: { key: "init_r", min: 1 },
  loha: { key: "r", min: 1 },
  lokr: { key: "r", min: 1 },
  delora: { key: "r", min: 1 },
  hira: { key: "r", min: 1 },
  glora: { key: "r", min: 1 },
  hra: { key: "r", min: 1 },
  vera: { key: "r", min: 1 },
  pvera: { key: "r", min: 1 },
  randlora: { key: "r", min: 1 },
  lily: { key: "r", min: 1 },
  fourierft: { key: "n_frequency", min: 1 },
  waveft: { key: "n_frequency", min: 1 },
  shira: { key: "r", min: 1 },
  deft: { key: "r", min: 1 },
  poly: { key: "r", min: 1 },
  "prompt-tuning": { key: "num_virtual_tokens", min: 1 },
  "prefix-tuning": { key: "num_virtual_tokens", min: 1 },
  "p-tuning": { key: "num_virtual_tokens", min: 1 },
  "multitask-prompt-tuning": { key: "num_virtual_tokens", min: 1 },
  cartridge: { key: "num_virtual_tokens", min: 1 },
  "adaption-prompt": { key: "adapter_len", min: 1 },
  "moe-lora": { key: "r", min: 1 },
  triadaptlora: { key: "r", min: 1 },
  "llama-adapter-v2": { key: "adapter_len", min: 1 },
  parscale: { key: "parscale_n_tokens", min: 1 },
  "state-tuning": { key: "r", min: 1 },
};

export function sizeKnobOf(methodId: string): SizeKnob | undefined {
  return SIZE_KNOBS[methodId];
}

/**
 * AdapterHub's knobs, by the config's `architecture` ("bottleneck" for AdapterHub's null): the first is the
 * default. Bottleneck adapters' reduction_factor shrinks the width d = max(1, H // rf): the count falls as it
 * grows, in steps, and is the same for every rf ≥ H (d = 1); with PHM layers (Compacter) d must divide by
 * phm_dim, so reduction factors in between are refused. phm_dim grows the shared phm_rule (n³) and must
 * divide H: past H every value is refused. phm_rank grows the factorized W; the invertible adapter's subnet
 * width in // inv_adapter_reduction_factor falls like a bottleneck's.
 */
export const ADAPTERHUB_SIZE_KNOBS: Readonly<Record<string, readonly SizeKnob[]>> = {
  bottleneck: [
    { key: "reduction_factor", min: 1, direction: "down", sparse: true, endsAt: (inv) => hiddenSizeOf(inv) },
    { key: "phm_dim", min: 1, sparse: true, endsAt: (inv) => hiddenSizeOf(inv) },
    { key: "phm_rank", min: 1 },
    { key: "inv_adapter_reduction_factor", min: 1, direction: "down", sparse: true, endsAt: (inv) => hiddenSizeOf(inv) },
  ],
  lora: [{ key: "r", min: 1 }],
  mtl_lora: [{ key: "r", min: 1 }, { key: "n_up_projection", min: 1 }],
  prefix_tuning: [{ key: "prefix_length", min: 1 }, { key: "bottleneck_size", min: 1 }],
  prompt_tuning: [{ key: "prompt_length", min: 1 }],
  reft: [{ key: "r", min: 1 }],
};

export function adapterHubKnobsOf(architecture: string | null): readonly SizeKnob[] {
  return ADAPTERHUB_SIZE_KNOBS[architecture ?? "bottleneck"] ?? [];
}
