/**
 * AdapterHub config strings (adapters src/adapters/utils.py parse_adapter_config_string, resolve_adapter_config)
 * and config unions (ConfigUnion.validate, MAMConfig, UniPELTConfig): what users write, and errors that point
 * at the offending part with a caret.
 */
import { describe, expect, test } from "vitest";
import { parseConfigString } from "../../src/adapters/config-string.js";
import { resolveAdapterHub } from "../../src/adapters/resolve.js";
import { InputError } from "../../src/errors.js";
import { HUB10, hubTrainable } from "./helpers.js";

function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("no error");
}

const resolveError = (text: string) => errorOf(() => resolveAdapterHub(text));

describe("parsing", () => {
  test("names, Python literals, unions", () => {
    const known = (n: string) => !/[[|]/.test(n);
    expect(parseConfigString("double_seq_bn[reduction_factor=8]", known, () => "")).toMatchObject([{ name: "double_seq_bn", kwargs: { reduction_factor: 8 } }]);
    expect(parseConfigString(" lora[r=8, alpha=16, attn_matrices=['q','k','v']] | prompt_tuning ", known, () => "")).toMatchObject([
      { name: "lora", kwargs: { r: 8, alpha: 16, attn_matrices: ["q", "k", "v"] } },
      { name: "prompt_tuning", kwargs: {} },
    ]);
    expect(parseConfigString("seq_bn[reduction_factor={'0': 8, 'default': 16}, leave_out=(0, 1), inv_adapter=None, use_gating=True, scaling=\"learned\", rf=1e-1]", known, () => "")[0]!.kwargs).toEqual({
      reduction_factor: { "0": 8, default: 16 },
      leave_out: [0, 1],
      inv_adapter: null,
      use_gating: true,
      scaling: "learned",
      rf: 0.1,
    });
  });
  test("a whole string that is a named config wins over splitting (compacter++, pfeiffer+inv)", () => {
    expect(resolveAdapterHub("compacter++").configs).toHaveLength(1);
    expect(resolveAdapterHub("pfeiffer+inv").configs[0]!.options).toMatchObject({ inv_adapter: "nice", inv_adapter_reduction_factor: 2 });
  });
});

describe("errors point at the offending part", () => {
  test("an unknown option of the config class", () => {
    const e = resolveError("double_seq_bn[reduction_factr=8]");
    expect(e.message).toBe('AdapterHub config string: "reduction_factr" is not an option of DoubleSeqBnConfig (AdapterHub\'s replace() raises TypeError)\n  double_seq_bn[reduction_factr=8]\n                ^');
    expect(e.hint).toMatch(/^double_seq_bn's options: mh_adapter, output_adapter, reduction_factor/);
  });
  test("an unknown config name, with a suggestion", () => {
    const e = resolveError("prefix_tuning|par_bnn");
    expect(e.message).toBe('AdapterHub config string: "par_bnn" is not an AdapterHub config\n  prefix_tuning|par_bnn\n                ^');
    expect(e.hint).toMatch(/^did you mean "par_bn"\?/);
  });
  test("an unclosed bracket", () => expect(resolveError("double_seq_bn[reduction_factor=8").message).toMatch(/does not end with "\]"\n {2}double_seq_bn\[reduction_factor=8\n {34}\^$/));
  test("a value that is not a Python literal", () => {
    const e = resolveError("seq_bn[non_linearity=gelu]");
    expect(e.message).toBe('AdapterHub config string: "gelu" is not a Python literal (quote strings: \'gelu\')\n  seq_bn[non_linearity=gelu]\n                       ^');
  });
  test("a missing comma between options", () => expect(resolveError("seq_bn[reduction_factor=8 leave_out=[0]]").message).toMatch(/expected "," between options\n.*\n {28}\^/));
  test("an empty part", () => expect(resolveError("seq_bn||lora").message).toMatch(/an empty part/));
  test("a key given twice", () => expect(resolveError("seq_bn[reduction_factor=8, reduction_factor=4]").message).toMatch(/"reduction_factor" is given twice/));
  test("options on a union go to every component: par_bn has no bottleneck_size (AdapterHub's TypeError)", () =>
    expect(resolveError("mam[bottleneck_size=256]").message).toMatch(/"bottleneck_size" is not an option of ParBnConfig/));
  test("a wrongly typed value is an option error naming the key", () => expect(() => hubTrainable("bert-base-uncased", "seq_bn[leave_out='all']")).toThrow(/leave_out/));
});

describe("unions", () => {
  test("bottleneck configs at the same location conflict (ConfigUnion.validate)", () =>
    expect(resolveError("seq_bn|double_seq_bn").message).toMatch(/cannot be combined \(both place bottleneck adapters at the same location\)/));
  test("bottleneck configs at different locations combine", () =>
    expect(hubTrainable("bert-base-uncased", "seq_bn|seq_bn[mh_adapter=True, output_adapter=False]")).toBe(2 * 894_528));
  test("a leave_out defers the check, as in AdapterHub", () => expect(resolveAdapterHub("seq_bn[leave_out=[0]]|seq_bn").configs).toHaveLength(2));
  test("two configs of one other architecture conflict", () => expect(resolveError("lora|ia3").message).toMatch(/same adapter architecture \(lora\)/));
  test("MAM: prefix tuning (bottleneck 800) + parallel adapter (vector adapters12-mam-roberta-base)", () => {
    expect(hubTrainable("roberta-base", "mam")).toBe(22_493_984);
    expect(hubTrainable("roberta-base", "prefix_tuning[bottleneck_size=800]|par_bn")).toBe(22_493_984);
  });
  test("MAM as written with its own sizes (vector adapters12-str-mam-bs256-roberta-base)", () =>
    expect(hubTrainable("roberta-base", "prefix_tuning[bottleneck_size=256]|par_bn[reduction_factor=4]")).toBe(8_507_392));
  test("UniPELT: gated prefix tuning + seq_bn + LoRA (reference vector adapters-UniPELTConfig-bert-base-uncased, adapters 1.0.0)", () =>
    expect(hubTrainable("bert-base-uncased", "unipelt", { ctx: HUB10 })).toBe(11_083_376));
  test("a saved union file", () =>
    expect(hubTrainable("bert-base-uncased", { config: { architecture: "union", configs: [{ mh_adapter: false, output_adapter: true, reduction_factor: 16, non_linearity: "relu" }] } })).toBe(894_528));
  test("a union cannot hold a union", () =>
    expect(() => resolveAdapterHub({ architecture: "union", configs: [{ architecture: "union", configs: [] }] })).toThrow(/a union cannot hold a union/));
});
