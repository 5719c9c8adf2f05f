/**
 * The method-neutral result of counting: trainable parameters by group, what the model holds after the
 * method, warnings. A leaf: every formula (full fine-tuning included) and every tuner helper returns it.
 */

/** What a part is: an adapter tensor per wrapped module, a tensor shared by all modules (counted once),
 *  a trainable copy (modules_to_save, LN tuning), unfrozen biases, prompt-learning parameters, a delta on
 *  existing weights (trainable tokens), or base weights trained in place (full / selective fine-tuning). */
export type PartKind = "adapter" | "shared" | "copy" | "bias" | "prompt" | "delta" | "base";

export interface Part {
  /** `model.layers.*.self_attn.q_proj.lora_A`, or a copy / delta / prompt label */
  readonly name: string;
  /** how many modules contribute */
  readonly modules: number;
  readonly count: number;
  readonly kind?: PartKind;
}

export interface ParamBreakdown {
  readonly trainable: number;
  /** PEFT's "all params": the model after the method, tied tensors once */
  readonly allParams: number;
  /** trainable parameters by group; Σ count === trainable */
  readonly parts: readonly Part[];
  readonly warnings: readonly string[];
  /** MoE: trainable parameters a token passes through (routed experts count k/E) */
  readonly activeTrainable?: number;
}

/** Accumulates parts by name (the first kind given for a name wins). */
export class PartSum {
  private readonly parts = new Map<string, { modules: number; count: number; kind: PartKind | undefined }>();
  add(name: string, count: number, modules = 1, kind?: PartKind): void {
    const p = this.parts.get(name);
    if (p === undefined) this.parts.set(name, { modules, count, kind });
    else {
      p.modules += modules;
      p.count += count;
    }
  }
  list(): Part[] {
    const out: Part[] = [];
    for (const [name, p] of this.parts) out.push(Object.freeze(p.kind === undefined ? { name, modules: p.modules, count: p.count } : { name, modules: p.modules, count: p.count, kind: p.kind }));
    return out;
  }
}
