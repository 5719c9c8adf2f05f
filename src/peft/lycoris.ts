/**
 * What LoHa and LoKr share (peft src/peft/tuners/lycoris_utils.py `LycorisTuner`, loha/ and lokr/ layer.py):
 * - the layers they wrap: torch Linear (and Conv1d / Conv2d, which no model peftcount builds has, so
 *   `use_effective_conv2d` never changes a count here); transformers' Conv1D is refused, PEFT raises a TypeError;
 * - the rank of one wrapped module: the first matching `rank_pattern` key, else `r`;
 * - LoKr's `factorization` of a dimension into two factors.
 * LyCORIS configs have no `bias` key: biases stay frozen.
 */
import type { ModuleKind, ParamModule } from "../model/types.js";
import { patternValue } from "./pattern-key.js";

export const LYCORIS_WRAPPABLE: readonly ModuleKind[] = ["linear"];

/** `rank_pattern` → r for one wrapped module (LoHaModel / LoKrModel `_create_and_replace`). */
export function lycorisRank(m: ParamModule, o: { readonly r: number; readonly rank_pattern: Readonly<Record<string, number>> | null }): number {
  // without patterns the rank does not depend on the name: not reading it keeps the modules grouped (plan.ts)
  const p = o.rank_pattern;
  if (p === null) return o.r;
  for (const _ in p) return patternValue(p, m.name, o.r, "rank_pattern");
  return o.r;
}

/**
 * LoKr's `factorization(dimension, factor)` (peft src/peft/tuners/lokr/layer.py): `factor` > 0 dividing the
 * dimension gives (factor, dimension / factor) as is, even when factor is the larger; otherwise the divisor
 * pair closest to the square root whose smaller member does not exceed `factor` (-1: no limit), smaller first.
 */
export function factorization(dimension: number, factor = -1): readonly [number, number] {
  if (factor > 0 && dimension % factor === 0) return [factor, dimension / factor];
  const limit = factor === -1 ? dimension : factor;
  let m = 1;
  let n = dimension;
  // PEFT compares with the first pair's sum and never updates it
  const length = m + n;
  while (m < n) {
    let next = m + 1;
    while (dimension % next !== 0) next++;
    const nextN = dimension / next;
    if (next + nextN > length || next > limit) break;
    m = next;
    n = nextN;
  }
  return m > n ? [n, m] : [m, n];
}
