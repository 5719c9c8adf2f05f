/**
 * AdapterHub ReFT (adapters:loreft / noreft / direft). Numbers: AdapterHub vectors (adapters 1.2.0 main
 * 88f18eb + transformers 4.57.6; 1.0.0 + 4.43.3 where marked).
 */
import { describe, expect, test } from "vitest";
import { adaptersDireft, adaptersLoreft, adaptersNoreft } from "../../formulas/adapters/reft.js";
import { run, total, V10 } from "./method-helpers.js";

describe("adapters ReFT", () => {
  test("loreft / noreft / direft count the same: layers · 2 units · (2·H·r + r)", () => {
    for (const m of [adaptersLoreft, adaptersNoreft, adaptersDireft]) expect(total(run(m, "bert-base-uncased")), m.id).toBe(36888); // adapters12-{loreft,noreft,direft}-bert-base-uncased
  });
  test("roberta-base 1.0.0", () => expect(total(run(adaptersLoreft, "roberta-base", {}, V10))).toBe(36888)); // adapters-LoReftConfig-roberta-base
  test("tied_weights: one unit per layer", () => expect(total(run(adaptersLoreft, "roberta-base", { tied_weights: true }))).toBe(18444)); // adapters12-loreft-tied-roberta-base
  test("layers [0, 2, 4]", () => expect(total(run(adaptersLoreft, "roberta-base", { layers: [0, 2, 4] }))).toBe(9222)); // adapters12-loreft-layers-roberta-base
  test("suffix positions change nothing", () => expect(total(run(adaptersLoreft, "roberta-base", { suffix_positions: 3 }))).toBe(36888)); // adapters12-loreft-suffix-roberta-base
  test("distilbert, Llama, Qwen2 (plugin interface)", () => {
    expect(total(run(adaptersNoreft, "distilbert-base-uncased"))).toBe(18444); // adapters12-noreft-distilbert-base-uncased
    expect(total(run(adaptersLoreft, "llama-3.2-1b"))).toBe(131104); // adapters12-loreft-llama-3.2-1b
    expect(total(run(adaptersLoreft, "qwen2.5-0.5b"))).toBe(86064); // adapters12-loreft-qwen2.5-0.5b
  });
  test("encoder-decoder models: every encoder and decoder layer", () => {
    expect(total(run(adaptersLoreft, "t5-base"))).toBe(73776); // adapters12-loreft-t5-base, adapters-LoReftConfig-t5-base (1.0.0)
    expect(total(run(adaptersDireft, "bart-base"))).toBe(36888); // adapters12-direft-bart-base
    expect(total(run(adaptersLoreft, "t5-base", { layers: [12] }))).toBe(3074); // layer 12 is the first decoder layer
  });
  test("r scales the units", () => expect(total(run(adaptersLoreft, "bert-base-uncased", { r: 4 }))).toBe(12 * 2 * (2 * 768 * 4 + 4)));
  test("a layer id past the last layer is ignored, with a warning", () => {
    const p = run(adaptersLoreft, "bert-base-uncased", { layers: [0, 40] });
    expect(total(p)).toBe(3074);
    expect((p.warnings ?? []).join()).toMatch(/40/);
  });
  test("schema: r positive, layers all or ids", () => {
    expect(() => run(adaptersLoreft, "bert-base-uncased", { r: 0 })).toThrow();
    expect(() => run(adaptersLoreft, "bert-base-uncased", { layers: "some" })).toThrow();
  });
});
