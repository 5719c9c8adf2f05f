/**
 * AdapterHub golden vectors, both eras: tests/golden/adapters.json (adapters 1.2.0 main + transformers 4.57.6,
 * copy of ../shared/vectors/adapters.json) and the AdapterHub vectors of tests/golden/vectors.json (adapters
 * 1.0.0 + transformers 4.43.3: those without peft_type), counted through countAdapterHub with the releases the
 * CLI would choose (the adapter file's own "version", else the transformers release). Vectors whose methods
 * are not registered yet are left out.
 */
import { describe, expect, test } from "vitest";
import { countAdapterHub } from "../../src/adapters/count.js";
import { chooseAdapterHubContext } from "../../src/adapters/versions.js";
import { buildInventory } from "../../src/model/inventory.js";
import { totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";
import { ADAPTERHUB_ERAS, registered } from "./helpers.js";

for (const [era, all] of ADAPTERHUB_ERAS) {
  const vectors = all.filter(registered);
  describe(`AdapterHub vectors (${era})`, () => {
    test.each(vectors.map((v) => [v.id, v] as const))("%s", (_id, v) => {
      const ctx = chooseAdapterHubContext({ transformers: v.versions?.transformers, file: v.adapter });
      const inv = buildInventory(v.model, { task: v.task, transformers: parseVersion(v.versions?.transformers ?? "4.57.6", "transformers") });
      const b = countAdapterHub(inv, v.adapter, ctx);
      expect({ trainable: b.trainable, all: b.allParams, base: totalParams(inv.modules) }).toEqual({
        trainable: v.expected.trainableParams,
        all: v.expected.allParams,
        base: v.expected.baseParams,
      });
      expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
    });
  });
}
