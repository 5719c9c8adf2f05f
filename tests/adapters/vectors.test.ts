/**
 * AdapterHub golden vectors, both eras: tests/golden/adapters.json (adapters 1.2.0 main + transformers 4.57.6,
 * copy of ../shared/vectors/adapters.json) and the AdapterHub vectors of tests/golden/vectors.json (adapters
 * 1.0.0 + transformers 4.43.3: those without peft_type), counted through countAdapterHub with the releases the
 * CLI would choose (the adapter file's own "version", else the transformers release). Vectors whose methods
 * are not registered yet are left out.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { countAdapterHub } from "../../src/adapters/count.js";
import { resolveAdapterHub } from "../../src/adapters/resolve.js";
import { chooseAdapterHubContext } from "../../src/adapters/versions.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";

interface Vector {
  id: string;
  task: Task;
  versions?: { adapters?: string; transformers?: string };
  model: Record<string, unknown> & { model_type: string };
  adapter: Record<string, unknown>;
  expected: { trainableParams: number; allParams: number; baseParams: number };
}

const load = (file: string) => JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8")) as Vector[];

/** false when a config of the vector names a method peftcount does not count yet */
function registered(v: Vector): boolean {
  try {
    resolveAdapterHub(v.adapter);
    return true;
  } catch (e) {
    return !(e instanceof InputError && /not counted by peftcount yet/.test(e.message));
  }
}

export const ADAPTERHUB_ERAS = [
  ["adapters 1.2.0 + transformers 4.57.6", load("../golden/adapters.json")],
  ["adapters 1.0.0 + transformers 4.43.3", load("../golden/vectors.json").filter((v) => typeof v.adapter["peft_type"] !== "string")],
] as const;

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
