/** `inspect`'s per-layer-kind totals (src/report/inspect-layers.ts) as text lines (pure). */
import type { LayerKinds } from "../report/inspect-layers.js";
import { grouped } from "./format.js";

const LABELS: Readonly<Record<string, string>> = {
  attention: "attention",
  mixer: "mixer",
  dense: "dense FFN",
  router: "router",
  routed: "routed experts",
  shared: "shared experts",
  norms: "norms",
  other: "other",
};

/** `head` then the items joined by " · ", continued on indented lines where the terminal is narrower. */
function wrapped(head: string, items: readonly string[], width: number | undefined): string[] {
  const one = `${head}${items.join(" · ")}`;
  if (width === undefined || one.length <= width) return [one];
  const lines = [head.trimEnd()];
  let line = "    ";
  for (const item of items) {
    const next = line.trim() === "" ? `${line}${item}` : `${line} · ${item}`;
    if (next.length > width && line.trim() !== "") {
      lines.push(line);
      line = `    ${item}`;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

/** One line per layer kind, then the model-level parts (wrapped to `width`); empty when there is nothing to show. */
export function layerKindLines(k: LayerKinds | undefined, width?: number): string[] {
  if (!k || k.kinds.length === 0) return [];
  const lines = ["by layer kind:"];
  for (const r of k.kinds) {
    const parts = Object.entries(LABELS)
      .filter(([key]) => (r as unknown as Record<string, number>)[key]! > 0)
      .map(([key, label]) => {
        const n = (r as unknown as Record<string, number>)[key]!;
        return key === "routed" ? `${label} ${grouped(n)} (${grouped(r.routedActive)} per token)` : `${label} ${grouped(n)}`;
      });
    lines.push(...wrapped(`  ${r.kind} ×${r.layers} (layers ${r.indices}): ${grouped(r.total)} = `, parts, width));
  }
  const model = [`embeddings ${grouped(k.embeddings)}`, `final norm ${grouped(k.finalNorms)}`, `head ${grouped(k.head)}`, ...(k.outside > 0 ? [`elsewhere ${grouped(k.outside)}`] : [])];
  lines.push(...wrapped("  ", model, width));
  return lines;
}
