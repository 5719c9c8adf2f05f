/**
 * `--set key=value` and `--upcycle experts=E,top_k=K[,shared=S][,granularity=G]` on every command that builds a
 * model: the config overridden before the family reads it (src/model/overrides.ts), the built inventory
 * upcycled after (src/model/upcycle.ts); warnings on stderr, what was done in the model's notes.
 */
import { applyOverrides } from "../model/overrides.js";
import type { RawConfig } from "../model/config.js";
import type { Inventory } from "../model/types.js";
import { parseUpcycle, upcycle } from "../model/upcycle.js";
import type { Versions } from "../versions.js";
import type { Io } from "./io.js";

export interface VariantFlags {
  set?: string[];
  upcycle?: string;
  expertLayout?: "per-expert" | "fused";
}

export function modelVariant(io: Io, config: RawConfig, flags: VariantFlags): { config: RawConfig; finish: (inv: Inventory, ctx: Versions) => Inventory } {
  const o = applyOverrides(config, flags.set ?? []);
  for (const w of o.warnings) io.stderr(`warning: ${w}\n`);
  const spec = flags.upcycle !== undefined ? parseUpcycle(flags.upcycle) : undefined;
  return {
    config: o.config,
    finish: (inv, ctx) => {
      const noted = o.note !== undefined ? { ...inv, notes: [o.note, ...(inv.notes ?? [])] } : inv;
      if (!spec) return noted;
      const fused = (flags.expertLayout ?? (ctx.transformers[0] < 5 ? "per-expert" : "fused")) === "fused";
      return upcycle(noted, spec, fused);
    },
  };
}
