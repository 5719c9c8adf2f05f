/**
 * Each method's main size knob: the single integer option that budget searches and sweep varies by default
 * (LoRA's rank, prompt tokens, FourierFT's n_frequency, ...). Declared here, per method id, rather than guessed
 * from option names: OFT's `r` counts blocks (its size falls as r grows) and is left out on purpose, as are
 * methods whose knob must divide a model dimension (BOFT, C3A block sizes). `budget` still checks that counts
 * grow with the knob on every value it evaluates.
 */
export interface SizeKnob {
  /** the option key (PEFT's name) */
  readonly key: string;
  /** smallest valid value */
  readonly min: number;
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
