/**
 * The module tree's name lists (src/peft/modules.ts: `named_modules()` order, each path after its dotted
 * prefixes, each once; aliases in `namesWithDuplicates`) against the plain construction — every prefix of
 * every path in turn, kept at its first appearance — for random paths over a small alphabet (shared
 * parents, leaves that are parents of other leaves, repeated and leading dots).
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import type { ParamModule } from "../../src/model/types.js";
import { moduleTree } from "../../src/peft/modules.js";

function reference(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths)
    for (let i = path.indexOf("."); ; i = path.indexOf(".", i + 1)) {
      const p = i === -1 ? path : path.slice(0, i);
      if (!out.includes(p)) out.push(p);
      if (i === -1) break;
    }
  return out;
}

const part = fc.constantFrom("model", "layers", "0", "1", "12", "mlp", "q", "");
const path = fc.array(part, { minLength: 1, maxLength: 5 }).map((ps) => ps.join("."));
const leaf = (name: string, aliases: string[]): ParamModule => ({ kind: "other", className: "X", name, params: [], ...(aliases.length ? { aliases } : {}) }) as unknown as ParamModule;

describe("module tree names", () => {
  test.prop([fc.uniqueArray(fc.record({ name: path, aliases: fc.array(path, { maxLength: 2 }) }), { selector: (l) => l.name, minLength: 1, maxLength: 25 })], { numRuns: 400 })(
    "names and namesWithDuplicates equal the plain construction",
    (leaves) => {
      const tree = moduleTree(leaves.map((l) => leaf(l.name, l.aliases)));
      expect(tree.names).toEqual(reference(leaves.map((l) => l.name)));
      expect(tree.namesWithDuplicates).toEqual(leaves.some((l) => l.aliases.length) ? reference(leaves.flatMap((l) => [l.name, ...l.aliases])) : reference(leaves.map((l) => l.name)));
    },
  );
});
