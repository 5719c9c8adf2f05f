/**
 * `--compat accelerate`: what `accelerate estimate-memory` prints (accelerate commands/estimate.py, utils/modeling.py
 * `calculate_maximum_sizes`, `convert_bytes`), with its conventions: the model without head (AutoModel), every
 * tensor at fp32 including buffers, the largest "layer" found by descending into modules unless their class is in
 * `_no_split_modules`, 1024-based units printed as Python's str(round(x, 2)), training = the largest entry of
 * `estimate_training_usage` (float32: 4× the fp32 size; float16: 2×; int8 / int4: N/A).
 * Buffers and _no_split_modules are known for BERT (position_ids, token_type_ids: int64 [1, max_position_embeddings];
 * BertEmbeddings, BertLayer) and Llama (rotary inv_freq + original_inv_freq: fp32 [head_dim / 2];
 * LlamaDecoderLayer), checked against accelerate 1.15 + transformers 5.18; elsewhere the decoder / encoder layers are
 * the unsplit units and buffers are not counted (said on stderr).
 */
import type { Inventory } from "../model/types.js";
import { numel } from "../model/types.js";

interface Extra {
  /** module path → buffer bytes */
  readonly buffers: ReadonlyMap<string, bigint>;
  /** path prefixes that are not split (a no-split class instance) */
  readonly unsplit: (path: string) => boolean;
  readonly known: boolean;
}

function extraOf(inv: Inventory): Extra {
  const c = inv.config ?? {};
  const layer = (prefix: string) => (p: string) => new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.\\d+$`).test(p);
  if (inv.modelType === "bert") {
    const pos = BigInt(Number(c["max_position_embeddings"] ?? 512));
    return { buffers: new Map([["embeddings", 2n * pos * 8n]]), unsplit: (p) => p === "embeddings" || layer("encoder.layer")(p), known: true };
  }
  if (inv.modelType === "llama") {
    const half = BigInt(Math.floor(inv.dims.headDim / 2));
    return { buffers: new Map([["rotary_emb", 2n * half * 4n]]), unsplit: layer("layers"), known: true };
  }
  return { buffers: new Map(), unsplit: inv.layersPath ? layer(inv.layersPath) : () => false, known: false };
}

export interface AccelerateSizes {
  readonly total: bigint;
  readonly largestLayer: bigint;
  /** buffers and unsplit modules are known for this model type */
  readonly exact: boolean;
}

/** calculate_maximum_sizes on an AutoModel inventory (task FEATURE_EXTRACTION). */
export function accelerateSizes(inv: Inventory): AccelerateSizes {
  const extra = extraOf(inv);
  // size of every node of the module tree (params at fp32, tied tensors once, buffers at their module)
  const size = new Map<string, bigint>();
  const children = new Map<string, Set<string>>();
  const add = (path: string, bytes: bigint) => {
    const parts = path.split(".");
    for (let i = 0; i <= parts.length; i++) {
      const node = parts.slice(0, i).join(".");
      size.set(node, (size.get(node) ?? 0n) + bytes);
      if (i < parts.length) {
        const kids = children.get(node) ?? new Set<string>();
        kids.add(parts.slice(0, i + 1).join("."));
        children.set(node, kids);
      }
    }
  };
  for (const m of inv.modules) add(m.name, m.params.reduce((s, p) => s + (p.tiedTo === undefined ? BigInt(numel(p.shape)) * 4n : 0n), 0n));
  for (const [path, bytes] of extra.buffers) add(path, bytes);
  let largest = 0n;
  const todo = [...(children.get("") ?? [])];
  while (todo.length > 0) {
    const node = todo.shift()!;
    const kids = children.get(node);
    if (!kids || kids.size === 0 || extra.unsplit(node)) {
      const s = size.get(node) ?? 0n;
      if (s > largest) largest = s;
    } else todo.unshift(...kids);
  }
  return { total: size.get("") ?? 0n, largestLayer: largest, exact: extra.known };
}

/** accelerate's convert_bytes: 1024-based, f"{round(size, 2)} {unit}" (Python rounds the exact value half to even). */
export function convertBytes(bytes: bigint, divisor = 1n): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let scale = divisor;
  for (const unit of units) {
    if (bytes < 1024n * scale) return `${pyRound2(bytes, scale)} ${unit}`;
    scale *= 1024n;
  }
  return `${pyRound2(bytes, scale)} PB`;
}

/** str(round(n / d, 2)) for an exact quotient: two decimals half to even, trailing zeros dropped but one kept. */
function pyRound2(n: bigint, d: bigint): string {
  let q = (n * 100n) / d;
  const r = (n * 100n) % d;
  if (r * 2n > d || (r * 2n === d && q % 2n === 1n)) q += 1n;
  const frac = String(q % 100n).padStart(2, "0").replace(/0$/, "");
  return `${q / 100n}.${frac === "" ? "0" : frac}`;
}

/** Python's str.center (CPython pad: the odd space goes left when the width is odd). */
function center(text: string, width: number): string {
  const marg = width - text.length;
  if (marg <= 0) return text;
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return " ".repeat(left) + text + " ".repeat(marg - left);
}

/** accelerate's create_ascii_table, line for line (including how it widens the last column for a long title). */
export function asciiTable(headers: readonly string[], rows: readonly (readonly string[])[], title: string): string {
  const sep = "│";
  const bar = "─";
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const formats = [...widths];
  const pattern = (cells: readonly string[]) => `${sep}${cells.map((c, i) => c.padStart(formats[i]!)).join(sep)}${sep}`;
  let diff = 0;
  const makeRow = (l: string, m: string, r: string) => `${l}${widths.map((n) => bar.repeat(n)).join(m)}${bar.repeat(diff)}${r}`;
  let separator = makeRow("├", "┼", "┤");
  if (title.length > widths.reduce((a, b) => a + b, 0)) {
    diff = Math.abs(title.length - separator.length);
    widths[widths.length - 1]! += diff;
  }
  separator = makeRow("├", "┼", "┤");
  const lines = [makeRow("┌", bar, "┐"), `${sep}${center(title, separator.length - 2)}${sep}`, makeRow("├", "┬", "┤")];
  widths[widths.length - 1]! += diff;
  lines.push(pattern(headers.map((h, i) => center(h, widths[i]!))), separator);
  for (const r of rows) lines.push(pattern(r.map((t, i) => center(t, widths[i]!))));
  lines.push(`└${widths.map((n) => bar.repeat(n)).join("┴")}┘`);
  return lines.join("\n");
}

/** The table `accelerate estimate-memory` prints (default dtypes float32, float16, int8, int4). */
export function accelerateText(title: string, sizes: AccelerateSizes): string {
  const rows = ([["float32", 1n, 4n], ["float16", 2n, 2n], ["int8", 4n, 0n], ["int4", 8n, 0n]] as const).map(([dtype, div, training]) => [
    dtype,
    convertBytes(sizes.largestLayer, div),
    convertBytes(sizes.total, div),
    training === 0n ? "N/A" : convertBytes(sizes.total * training),
  ]);
  return `${asciiTable(["dtype", "Largest Layer", "Total Size", "Training using Adam"], rows, `Memory Usage for loading \`${title}\``)}\n`;
}
