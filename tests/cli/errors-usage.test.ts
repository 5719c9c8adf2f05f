/**
 * Malformed command lines: exit 2, nothing on stdout, `error:` + `hint:` on stderr. Also the --json error
 * shape and PEFTCOUNT_DEBUG.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { run } from "../../src/cli/program.js";
import { expectError, fakeIo, runCli } from "./fake-io.js";

const HELP = 'run "peftcount --help" or "peftcount <command> --help"';

// the first run loads the commands, the formula registry and the families: not charged to the first test's timeout
beforeAll(() => runCli(["count"]), 60_000);

describe("method option flags", () => {
  test.each([
    ["-r 0", ["-r", "0"], "-r/--r must be positive (got 0)"],
    ["-r -1", ["-r", "-1"], "-r/--r must be positive (got -1)"],
    ["-r 2.5", ["-r", "2.5"], "-r/--r must be a whole number (got 2.5)"],
    ["--r=0 on count", ["count", "--r=0"], "-r/--r must be positive (got 0)"],
    ["r=0 in a spec", ["--method", "lora r=0"], "-r/--r must be positive (got 0)"],
    ["--bias some", ["--bias", "some"], /^error: --bias .*"none".*"all".*"lora_only".* \(got "some"\)$/],
  ])("%s", async (_name, argv, message) => {
    expectError(await runCli(argv), 2, message, 'see "peftcount methods --verbose"');
  });

  test("-r past 2^53 is refused, not rounded", async () => {
    expectError(await runCli(["-r", "9007199254740993"]), 2, "--r: 9007199254740993 is past 2^53 and cannot be counted exactly", "r must be below 9007199254740992");
  });

  test("--rnak 8 suggests --r", async () => {
    expectError(await runCli(["--rnak", "8"]), 2, "unknown option --rnak", 'did you mean "--r"?');
  });

  test.each([
    ["--rank", "--r"],
    ["--target-module", "--target-modules"],
  ])("%s suggests %s", async (flag, want) => {
    expectError(await runCli(["count", flag, "8"]), 2, `unknown option ${flag}`, `did you mean "${want}"?`);
  });

  test("--alpha (an option of LoHa / LoKr, not of LoRA) names its owners and suggests --lora-alpha", async () => {
    expectError(await runCli(["count", "--alpha", "8"]), 2, "unknown option --alpha", /^hint: --alpha is an option of loha, lokr, .*, not of lora; did you mean "--lora-alpha"\?$/);
  });

  test("--lora-alpah suggests --lora-alpha (count)", async () => {
    expectError(await runCli(["count", "--lora-alpah", "16"]), 2, "unknown option --lora-alpah", 'did you mean "--lora-alpha"?');
  });

  test("a flag every --method spec overrides says so", async () => {
    expectError(await runCli(["--method", "lora r=8", "-r", "4"]), 2, "unknown option --r", "every --method spec already sets r, and a spec's own value wins");
  });

  test("an option of no method", async () => {
    expectError(await runCli(["--method", "full", "-r", "4"]), 2, "unknown option --r", /^hint: --r is an option of lora, dora, adalora, .*, not of full$/);
  });

  test("unknown key in a --method spec suggests the nearest", async () => {
    expectError(await runCli(["--method", "lora rank=8"]), 2, '--method "lora rank=8": lora has no option "rank"', 'did you mean "r"?');
  });

  test("unknown method suggests the nearest", async () => {
    expectError(await runCli(["count", "--method", "lorra"]), 2, 'unknown method "lorra"', /^hint: did you mean "lora"\? methods: full, lora, dora, adalora, /);
  });

  test("an unquoted spec is told to quote it", async () => {
    expectError(await runCli(["--method", "lora", "r=64"]), 2, 'unknown method "r=64"', 'quote the whole spec, method first: --method "lora r=64"');
  });

  test("a space-separated list is told to use commas", async () => {
    const r = await runCli(["--target-modules", "q_proj", "v_proj"]);
    expectError(r, 2, 'unexpected argument "v_proj"', "--target-modules takes one value: separate list items with commas, e.g. --target-modules q_proj,v_proj");
  });

  test("a stray word", async () => {
    expectError(await runCli(["--use-dora", "true", "--r", "8", "extra"]), 2, 'unexpected argument "extra"', "--r takes one value");
    expectError(await runCli(["count", "--json", "extra"]), 2, /"UNEXPECTED_ARGUMENT"/);
  });

  test("a look-ahead regex on the command line is a usage error", async () => {
    const r = await runCli(["--method", "lora", "--target-modules", "re:(?=q).*_proj"]);
    expectError(r, 2, /^error: --target-modules: cannot use the regular expression "\(\?=q\)\.\*_proj" \(.*\)$/, /look-around and back-references are not available/);
  });

  test("--adapter with --method", async () => {
    expectError(await runCli(["count", "--adapter", "a.json", "--method", "lora"]), 2, "--adapter and --method cannot be combined");
  });
});

describe("commander-level flags and commands", () => {
  test.each([
    ["unknown command", ["frobnicate"], 'unknown command "frobnicate"', "commands: compare, count, inspect, models, methods, schema"],
    ["misspelt command", ["inpsect", "-m", "gpt2"], 'unknown command "inpsect"', 'did you mean "inspect"?'],
    ["bad --format", ["--format", "yaml"], "option '--format <format>' argument 'yaml' is invalid. Allowed choices are table, json, csv, markdown.", HELP],
    ["bad --task", ["--task", "SEQ_CLASSIFICATION"], "option '--task <task>' argument 'SEQ_CLASSIFICATION' is invalid. Allowed choices are CAUSAL_LM, SEQ_2_SEQ_LM, SEQ_CLS, TOKEN_CLS, QUESTION_ANS, FEATURE_EXTRACTION.", HELP],
    ["bad --expert-layout", ["--expert-layout", "packed"], "option '--expert-layout <layout>' argument 'packed' is invalid. Allowed choices are per-expert, fused.", HELP],
    ["--model without a value", ["--model"], "option '-m, --model <model>' argument missing", HELP],
    ["unknown flag of inspect", ["inspect", "--rank", "8"], "unknown option '--rank'", `did you mean --task? ${HELP}`],
    ["options before the command", ["-m", "gpt2", "inspect"], '"inspect" is a command, and a command comes first', "e.g. peftcount inspect --json"],
    ["an argument models does not take", ["models", "llama"], "too many arguments for 'models'. Expected 0 arguments but got 1.", HELP],
  ])("%s", async (_name, argv, message, hint) => {
    expectError(await runCli(argv), 2, message, hint);
  });

  test.each([["0"], ["-3"], ["2.5"], ["three"]])("--num-labels %s", async (n) => {
    expectError(await runCli(["--task", "SEQ_CLS", "--num-labels", n]), 2, `--num-labels must be a positive integer (got "${n}")`, "e.g. --num-labels 3");
  });
});

describe("--json errors, debug", () => {
  test("an input error under --json: one JSON object on stderr, stdout empty", async () => {
    const r = await runCli(["--model", "llama3-8b", "--json"]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: "" });
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: "UNKNOWN_MODEL", message: 'unknown model "llama3-8b"', hint: 'did you mean "llama-3-8b"? run "peftcount models" for the presets, or pass a config.json path or folder' },
    });
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  test.each([
    [["--rnak", "8", "--json"], "UNKNOWN_OPTION"],
    [["--format", "json", "-r", "0"], "INVALID_FLAG"],
    [["--json", "--format", "yaml"], "INVALID_ARGUMENT"],
    [["inspect", "--bogus", "--json"], "UNKNOWN_OPTION"],
    [["frobnicate", "--json"], "UNKNOWN_COMMAND"],
  ])("usage errors under --json too: %j", async (argv, code) => {
    const r = await runCli(argv);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
    const { error } = JSON.parse(r.stderr) as { error: { code: string; message: string; hint: string | null } };
    expect(error.code).toBe(code);
    expect(error.message).not.toMatch(/^error:/);
    expect(typeof error.hint).toBe("string");
  });

  test("anything else is an internal error: exit 1, a request to report it", async () => {
    const { io, out } = fakeIo();
    const code = await run(["models"], { ...io, stdout: () => { throw new TypeError("boom"); } });
    expect(code).toBe(1);
    expect(out().stderr).toBe('error: internal error: boom\nhint: this is a bug in peftcount; please report it (PEFTCOUNT_DEBUG=1 shows the stack)\n');
  });

  test("no stack without PEFTCOUNT_DEBUG; with PEFTCOUNT_DEBUG=1 the stack follows the message", async () => {
    const quiet = await runCli(["--model", "nope.json"]);
    expectError(quiet, 1, "cannot read /proj/nope.json (ENOENT)");
    const debug = await runCli(["--model", "nope.json"], { env: { PEFTCOUNT_DEBUG: "1" } });
    expect(debug.code).toBe(1);
    const lines = debug.stderr.trimEnd().split("\n");
    expect(lines.slice(0, 2)).toEqual(["error: cannot read /proj/nope.json (ENOENT)", "hint: pass an existing config.json or a folder holding one"]);
    expect(lines[2]).toBe("InputError: cannot read /proj/nope.json (ENOENT)");
    expect(lines.slice(3).some((l) => /^\s+at .*load\.ts/.test(l))).toBe(true);
  });
});

describe("a DoRA row is DoRA", () => {
  test('--method "dora use_dora=false" is refused instead of printing LoRA under the DoRA title', async () => {
    expectError(await runCli(["--method", "dora use_dora=false"]), 2, "--use-dora must be one of true (got false)", 'see "peftcount methods --verbose" for dora');
  });
});
