import { describe as group, expect, it } from "vitest";
import * as z from "zod/mini";
import { lazySchema } from "../../formulas/lazy-schema.js";
import { describe, descriptionOf, evaluate, parseOptions } from "../../formulas/types.js";
import { FORMULAS } from "../../formulas/index.js";
import { optionKeys } from "../../src/cli/method-args.js";

group("lazySchema", () => {
  it("builds the schema once, on first use, and behaves as it", () => {
    let builds = 0;
    const s = lazySchema(() => {
      builds++;
      return z.object({ r: describe(z._default(z.int().check(z.positive()), 8), "rank") });
    });
    expect(builds).toBe(0);
    expect(s.parse({})).toEqual({ r: 8 });
    expect(s.safeParse({ r: 0 }).success).toBe(false);
    expect(Object.keys(s.shape)).toEqual(["r"]);
    expect(descriptionOf(s.shape.r)).toBe("rank");
    expect("shape" in s).toBe(true);
    expect(s instanceof z.ZodMiniObject).toBe(true);
    expect(z.extend(s, { b: z._default(z.boolean(), false) }).parse({ r: 2 })).toEqual({ r: 2, b: false });
    expect(z.toJSONSchema(s)).toMatchObject({ type: "object", properties: { r: { type: "integer", default: 8 } } });
    expect(builds).toBe(1);
  });

  it("every formula's schema converts to JSON Schema, and its option keys are those of the built object", () => {
    for (const f of FORMULAS) {
      const keys = optionKeys(f);
      expect(Object.keys((f.schema as unknown as { shape: object }).shape)).toEqual(keys);
      expect(() => z.toJSONSchema(f.schema, { unrepresentable: "any" })).not.toThrow();
    }
  });

  it("parsed options are memoised per schema, through the stand-in", () => {
    const lora = FORMULAS.find((f) => f.id === "lora")!;
    expect(parseOptions(lora, { r: 4 })).toBe(parseOptions(lora, { r: 4 }));
    expect(() => evaluate(lora, undefined as never, { r: -1 })).toThrow(/r must be/);
  });
});
