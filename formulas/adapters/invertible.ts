/**
 * Invertible adapters on the input embeddings (adapters src/adapters/methods/modeling.py NICECouplingBlock,
 * GLOWCouplingBlock, get_subnet_constructor): the embedding width E (config `embedding_size`, else hidden)
 * splits into s1 = E // 2 and s2 = E - s1. A subnet in → out is Linear(in, h) + Linear(h, out) with
 * h = int(in // inv_adapter_reduction_factor). NICE: F = subnet(s2 → s1), G = subnet(s1 → s2); GLOW:
 * s1 = subnet(s1 → 2·s2), s2 = subnet(s2 → 2·s1). One block per adapter (T5 / BART: on the encoder only).
 */
import { InputError } from "../../src/errors.js";
import { pyIntFloorDiv } from "./reduction.js";

function subnet(inF: number, outF: number, rf: number): number {
  const h = pyIntFloorDiv(inF, rf);
  return inF * h + h + h * outF + outF;
}

export function invertibleParams(kind: string, width: number, rf: number | null): number {
  if (rf === null)
    throw new InputError("UNSUPPORTED_OPTIONS", `inv_adapter "${kind}" needs inv_adapter_reduction_factor (AdapterHub divides by it)`, "set inv_adapter_reduction_factor, e.g. 2");
  const s1 = Math.floor(width / 2);
  const s2 = width - s1;
  if (kind === "nice") return subnet(s2, s1, rf) + subnet(s1, s2, rf);
  if (kind === "glow") return subnet(s1, 2 * s2, rf) + subnet(s2, 2 * s1, rf);
  throw new InputError("UNSUPPORTED_OPTIONS", `invalid invertible adapter type "${kind}"`, 'inv_adapter is "nice", "glow" or null');
}
