/**
 * compare's AdapterHub rows: `--method` specs that are AdapterHub's, and by default (no --method / --methods)
 * Houlsby, Pfeiffer, parallel, Compacter and Compacter++ on encoder and encoder-decoder models. They are
 * counted on the transformers release AdapterHub runs on (4.57.6 unless --transformers-version names a 4.x
 * release), so their baseParams may differ from the PEFT rows'; each row says `library: "adapters"`.
 */
import { InputError } from "../../errors.js";
import type { Inventory } from "../../model/types.js";
import { buildInventory } from "../../model/inventory.js";
import type { Row } from "../../report/schema.js";
import { chooseAdapterHubContext } from "../../adapters/versions.js";
import { formatVersion, type Version } from "../../versions.js";
import { ADAPTERHUB_DENOMINATORS, adapterHubRow, parseAdapterHubSpec } from "./adapterhub.js";
import { transformed } from "../transform-flag.js";

/** compare's default AdapterHub rows */
export const ADAPTERHUB_PANEL = ["adapters:houlsby", "adapters:pfeiffer", "adapters:parallel", "adapters:compacter", "adapters:compacter++"] as const;

/** An encoder (BERT-like) or encoder-decoder (T5-like) model: the models adapters were made for. */
export function hasEncoder(inv: Inventory): boolean {
  return inv.anatomy ? inv.anatomy.stacks.some((s) => s.role === "encoder") : inv.dims.isEncoderDecoder;
}

export interface HubRows {
  readonly rows: Row[];
  readonly skipped: { method: string; reason: string }[];
  readonly note?: string;
  readonly adapters?: string;
}

/**
 * The model on AdapterHub's transformers release: the inventory as loaded when it is already that release,
 * else rebuilt from its config on it, with the same --transform steps again (src/cli/transform-flag.ts).
 */
export function onAdapterHubRelease(inv: Inventory, config: () => Record<string, unknown>, transformers: Version, given: string | undefined, numLabels: number | undefined): Inventory {
  if (formatVersion(transformers) === given) return inv;
  return transformed(buildInventory(config(), { task: inv.task, numLabels, transformers }), inv.transforms?.map((t) => t.text));
}

/**
 * Rows for `specs` (explicit: errors propagate) or the default panel (inapplicable rows are skipped).
 * `config` is the model's config.json, rebuilt on AdapterHub's transformers release when it differs.
 */
export function adapterHubRows(
  inv: Inventory,
  config: Record<string, unknown>,
  specs: readonly string[],
  explicit: boolean,
  o: { transformers?: string | undefined; adapters?: string | undefined; numLabels?: number | undefined; flags: ReadonlyMap<string, string | true>; used: Set<string> },
): HubRows {
  if (specs.length === 0) return { rows: [], skipped: [] };
  let ctx;
  try {
    ctx = chooseAdapterHubContext({ adapters: o.adapters, transformers: o.transformers });
  } catch (e) {
    if (explicit || !(e instanceof InputError)) throw e;
    return { rows: [], skipped: specs.map((method) => ({ method, reason: e.message })) };
  }
  const hubInv = onAdapterHubRelease(inv, () => config, ctx.transformers, o.transformers, o.numLabels);
  const rows: Row[] = [];
  const skipped: { method: string; reason: string }[] = [];
  for (const spec of specs) {
    try {
      rows.push(adapterHubRow(hubInv, parseAdapterHubSpec(spec, o.flags, o.used), ctx));
    } catch (e) {
      if (explicit || !(e instanceof InputError)) throw e;
      skipped.push({ method: spec, reason: e.message });
    }
  }
  const note = `AdapterHub rows follow AdapterHub's convention (train_adapter): adapters ${formatVersion(ctx.adapters)} on transformers ${formatVersion(ctx.transformers)}, chosen by ${ctx.why}. ${ADAPTERHUB_DENOMINATORS} (--json: rows[].adapterSummary)`;
  return { rows, skipped, note, adapters: formatVersion(ctx.adapters) };
}
