/**
 * LoRA's `layer_replication` ([[start, end), ...]): PEFT rebuilds the layer stack from the listed ranges,
 * each new layer a clone that shares the original's weights. The base count does not grow (shared tensors
 * count once) but every replicated layer is a separate module that gets its own adapter.
 */
import { InputError } from "../errors.js";
import type { Inventory, ParamModule } from "../model/types.js";

export function replicateLayers(inv: Inventory, ranges: readonly (readonly [number, number])[]): Inventory {
  const path = inv.layersPath;
  if (path === undefined)
    throw new InputError("UNSUPPORTED_OPTION", `layer_replication: ${inv.modelType} has no single layer stack to replicate`, "remove layer_replication");
  const n = inv.dims.numHiddenLayers;
  for (const [s, e] of ranges)
    if (!(s >= 0 && e <= n && s < e))
      throw new InputError("INVALID_OPTION", `layer_replication: range [${s}, ${e}] is outside the ${n} layers of this model`, `use ranges [start, end) with 0 ≤ start < end ≤ ${n}`);
  const order = ranges.flatMap(([s, e]) => Array.from({ length: e - s }, (_, k) => s + k));
  const prefix = `${path}.`;
  const byLayer = new Map<number, ParamModule[]>();
  const before: ParamModule[] = [];
  const after: ParamModule[] = [];
  for (const m of inv.modules) {
    if (!m.name.startsWith(prefix)) {
      (byLayer.size === 0 ? before : after).push(m);
      continue;
    }
    const i = Number(m.name.slice(prefix.length).split(".")[0]);
    byLayer.set(i, [...(byLayer.get(i) ?? []), m]);
  }
  const owner = new Map<string, string>();
  const layers: ParamModule[] = [];
  order.forEach((orig, j) => {
    for (const m of byLayer.get(orig) ?? []) {
      const rest = m.name.slice(prefix.length + String(orig).length);
      const name = `${prefix}${j}${rest}`;
      const params = m.params.map((p) => {
        const key = `${m.name}.${p.name}`;
        const first = owner.get(key);
        if (first === undefined) owner.set(key, `${name}.${p.name}`);
        return first === undefined ? p : { ...p, tiedTo: first };
      });
      layers.push({ ...m, name, params });
    }
  });
  return { ...inv, modules: [...before, ...layers, ...after], dims: { ...inv.dims, numHiddenLayers: order.length } };
}
