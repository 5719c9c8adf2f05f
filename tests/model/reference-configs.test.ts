/**
 * Every published config.json kept in ../shared/reference/configs whose model type we support loads
 * as-is through buildInventory, and the presets that name one of those files carry it verbatim
 * (same keys in the same order, same values). The folder sits outside the repository; without it
 * these tests are skipped.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { buildInventory, familyOf } from "../../src/model/inventory.js";
import { LLAMA_PRESETS } from "../../src/model/presets/llama.js";
import { MOE_PRESETS } from "../../src/model/presets/moe.js";
import { totalParams } from "../../src/model/types.js";

const dir = fileURLToPath(new URL("../../../shared/reference/configs/", import.meta.url));
const present = existsSync(dir);
const files = present ? readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];
const configs = files.map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(dir + f, "utf8")) as Record<string, unknown>] as const);

function modelTypeOf(cfg: Record<string, unknown>): string {
  const top = String(cfg["model_type"]);
  const inner = cfg["text_config"] as { model_type?: string } | undefined;
  return familyOf(top) ? top : (inner?.model_type ?? top);
}
const supported = configs.filter(([, cfg]) => familyOf(modelTypeOf(cfg)));

describe.skipIf(!present)(`reference configs (${dir})`, () => {
  test("the folder holds the configs our presets were taken from", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(supported.map(([id]) => id)).toEqual(expect.arrayContaining(["llama-3.1-8b", "mixtral-8x7b", "qwen3-30b-a3b", "gemma-3-27b"]));
  });

  test.each(supported.map(([id, cfg]) => [id, cfg] as const))("%s loads as-is", (_id, cfg) => {
    const inv = buildInventory(cfg);
    const total = totalParams(inv.modules);
    expect(Number.isSafeInteger(total)).toBe(true);
    expect(total).toBeGreaterThan(0);
  });

  const mine = [...LLAMA_PRESETS, ...MOE_PRESETS].filter((p) => files.includes(`${p.id}.json`));
  test.each(mine.map((p) => [p.id, p] as const))("preset %s carries its reference config verbatim", (id, p) => {
    const file = configs.find(([f]) => f === id)![1];
    expect(p.config).toStrictEqual(file);
    expect(Object.keys(p.config)).toEqual(Object.keys(file));
    expect(p.configSource).toContain(`shared/reference/configs/${id}.json`);
  });
});

if (!present) test.skip(`reference configs skipped: ${dir} is absent (it lives in the shared folder beside the repository)`, () => {});
