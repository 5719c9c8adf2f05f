/**
 * The commander program. Statically imports only commander and our error types, so `--help` and
 * `--version` start fast; each action loads its command module (zod, formulas, renderers) on demand.
 * Only the command named in argv is registered (all of them when help is asked for): building commander's
 * option objects for six commands is a measurable part of a run.
 * `run` never exits the process: it returns the exit code (0 ok, 1 cannot answer, 2 malformed command line).
 */
import { Command, CommanderError, Option } from "commander";
import { didYouMean, PeftcountError, UsageError } from "../errors.js";
import type { Io } from "./io.js";

declare const PEFTCOUNT_VERSION: string;
const VERSION = typeof PEFTCOUNT_VERSION === "string" ? PEFTCOUNT_VERSION : "0.0.0-dev";

const TASKS = ["CAUSAL_LM", "SEQ_2_SEQ_LM", "SEQ_CLS", "TOKEN_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION"];

const METHOD_FLAGS_HELP = `
Method options: every option of a method is also a flag, with PEFT's key name in kebab case, e.g.
  -r 16, --target-modules q_proj,v_proj | all-linear | "re:.*\\.(q|v)_proj", --use-dora, --bias all,
  --modules-to-save lm_head, --layers-to-transform 0,1,2, --rank-pattern q_proj:16
A flag applies to every row whose method has an option of that name, and only to those (compare says which on
stderr); the same name can mean different things (OFT's r counts blocks, LoRA's r is a rank): see
"peftcount methods --verbose" for each method's options.`;

function outputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "markdown"]).default("table"))
    .option("--json", "same as --format json")
    .option("--no-color", "no colour, even on a terminal");
}

/** check / budget / sweep: one row (an adapter file or a method spec, option flags on top) and --dtype for file sizes. */
function gatesInputs(cmd: Command): Command {
  return cmd
    .option("-a, --adapter <path>", "adapter_config.json (or a folder holding one)")
    .option("--method <spec...>", 'method and options, e.g. "lora target_modules=all-linear" (default: lora)')
    .option("--dtype <dtype>", "adapter file size for a base model loaded in this dtype: fp32, fp16, bf16 (adapter weights stay fp32, PEFT's autocast)")
    .option("--no-autocast-adapter-dtype", "adapter weights saved in the --dtype (PEFT autocast_adapter_dtype=False)")
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText("after", METHOD_FLAGS_HELP);
}

function modelOptions(cmd: Command): Command {
  return cmd
    .option("-m, --model <model>", "preset id or HF repo id (see `peftcount models`), or a config.json path or folder")
    .option("--from-weights", "with a Hub id (or a preset): read the repo's safetensors headers (HTTP range requests, never the weights) instead of its config.json")
    .addOption(new Option("--task <task>", "task head to build (default: the adapter's task_type, else the model's natural one)").choices(TASKS))
    .option("--num-labels <n>", "labels of a classification head (default: from the config, else 2)")
    .addOption(new Option("--expert-layout <layout>", "MoE experts as fused 3-D parameters (transformers 5) or one Linear per expert (transformers 4.x); default: per --transformers-version").choices(["per-expert", "fused"]))
    .option("--peft-version <version>", "reproduce this PEFT release's counting rules (default: the newest, 0.21.0)")
    .option("--transformers-version <version>", "build the module tree of this transformers release (default: the newest, 5.18.0)")
    .option("--transform <spec...>", 'transform the model first (repeatable, in order): "prune heads=0.5 ffn=0.5", "factorize c=2", "share K=4", "hash c=0.1"; see "peftcount transforms"')
    .option("--set <key=value...>", "override a config.json field (repeatable; JSON values, typed like the config's): --set num_local_experts=16 --set num_experts_per_tok=4")
    .option("--upcycle <spec>", "turn every dense FFN into experts: experts=E,top_k=K[,shared=S][,granularity=G] (experts 1/G of the FFN's width)");
}

/** The training setup `memory` (and `compare --memory`) computes model-state memory for. */
function memorySetupOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--dtype <dtype>", "load dtype of the base model (default: the config's dtype, else fp32)").choices(["fp32", "bf16", "fp16"]))
    .option("--load-in-4bit", "bitsandbytes 4-bit (QLoRA) linears")
    .option("--load-in-8bit", "bitsandbytes LLM.int8() linears")
    .addOption(new Option("--bnb-4bit-quant-type <type>", "4-bit data type (default: fp4, as BitsAndBytesConfig)").choices(["nf4", "fp4"]))
    .option("--bnb-4bit-use-double-quant", "quantize the 4-bit absmax constants too")
    .option("--llm-int8-skip-modules <names>", "modules left unquantized (replaces transformers' default: lm_head, tied weights)")
    .option("--prepare-model-for-kbit-training", "upcast every fp16/bf16 parameter of the quantized model to fp32 (PEFT's helper)")
    .option("--no-autocast-adapter-dtype", "keep adapter weights in the base dtype (PEFT autocast_adapter_dtype=False)")
    .option("--optimizer <id>", "adamw (default), adamw-fused, adamw-8bit, paged-adamw-8bit, adamw-bnb-32bit, lion, lion-8bit, sgd, sgd-momentum, adafactor, muon, normuon, galore-adamw")
    .option("--galore-targets <modules>", "galore-adamw: the Trainer's optim_target_modules (comma-separated names, or one regex, or all-linear)")
    .option("--galore-rank <n>", "galore-adamw: projection rank (default 128)")
    .option("--master-weights", "fp32 master copies of 16-bit trainable tensors (default with --zero and a 16-bit dtype)")
    .option("--no-master-weights", "no fp32 master copies")
    .option("--gpus <n>", "GPUs per node (default 1)")
    .option("--nodes <n>", "nodes (default 1)")
    .option("--zero <stage>", "DeepSpeed ZeRO stage: 0 (DDP), 1, 2, 3")
    .addOption(new Option("--fsdp <strategy>", "PyTorch FSDP sharding").choices(["full", "grad-op", "hybrid", "hybrid-grad-op"]))
    .option("--offload-optimizer", "optimizer states (and ZeRO-2/3 gradient partitions) in CPU memory")
    .option("--offload-params", "parameters in CPU memory (ZeRO-3, FSDP full / hybrid)")
    .option("--gpu <name>", "check against a GPU: t4, a10g, l4, rtx-4090, a100-40gb, l40s, a100-80gb, h100-80gb, h200")
    .option("--gpu-memory <size>", "check against this memory per GPU: 80GiB, 24GB, 81920MiB");
}

type Action = (opts: Record<string, unknown>, rest: string[], io: Io) => Promise<void>;

/** Flags naming an input that may need an asynchronous read first (Hub ids, GGUF, training YAML): see sources/prepare.ts */
const SOURCE_FLAGS = ["model", "adapter", "axolotl", "llamaFactory"];

function action(io: Io, load: () => Promise<Action>) {
  return async function (this: Command) {
    const run = await load();
    let opts = this.opts();
    if (SOURCE_FLAGS.some((f) => typeof opts[f] === "string") || opts["fromWeights"] === true) opts = await (await import("./sources/prepare.js")).prepareInputs(opts, io);
    await run(opts, this.args, io);
  };
}

/** Command names, in help order; compare is the default. */
export const COMMANDS = ["compare", "count", "inspect", "models", "methods", "schema", "check", "budget", "sweep", "memory", "verify", "transforms"] as const;
type CommandName = (typeof COMMANDS)[number];

const wantsHelp = (argv: readonly string[]) => argv[0] === "help" || argv.includes("--help") || argv.includes("-h");

/** The commands a run needs: the one named first in argv (compare when none is), or every one for help. */
export function commandsFor(argv: readonly string[]): readonly CommandName[] {
  if (wantsHelp(argv)) return COMMANDS;
  const first = argv[0] as CommandName | undefined;
  return first !== undefined && COMMANDS.includes(first) ? [first] : ["compare"];
}

export function buildProgram(io: Io, only: readonly CommandName[] = COMMANDS): Command {
  const program = new Command("peftcount")
    .description("Exact trainable-parameter counts of PEFT methods on Hugging Face architectures, offline.")
    .version(VERSION, "-v, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    // commander's own error text is reported by `run` (plain or --json), not printed by commander
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} });
  program.addHelpText(
    "after",
    `
Examples:
  peftcount                                         compare methods on the default model (llama-3-8b)
  peftcount --model mistral-7b-v0.1 -r 32           the same rows at rank 32
  peftcount count --model qwen2.5-7b --adapter ./adapter_config.json --json
  peftcount inspect --model phi-3-mini-4k           module names to put in target_modules
  peftcount check --adapter ./adapter_config.json --max-trainable 20M --max-adapter-size 100MB --dtype bf16
  peftcount budget --model llama-3-8b --target-modules all-linear --max-trainable 20M
  peftcount sweep --model llama-3-8b --r pow2:1..256 --dtype bf16`,
  );

  if (only.includes("compare"))
    memorySetupOptions(outputOptions(modelOptions(program.command("compare", { isDefault: true }))))
      .description("compare methods side by side with full fine-tuning (the default command)")
      .option("--method <spec...>", 'a row: "lora r=64 target_modules=all-linear" (repeatable; replaces the default rows)')
      .option("--methods <ids>", 'rows with each method\'s defaults: "all" (every method that applies to the model) or a list, e.g. lora,ia3,vera')
      .option("--parts", "table output with the per-module breakdown (the default for up to 4 rows)")
      .option("--no-parts", "table output without the per-module breakdown")
      .option("--compare-original", "with --transform: each row again on the model before the transforms")
      .option("--adapters-version <version>", "AdapterHub rows: reproduce this adapters release (default: the adapter file's version, else the one for --transformers-version, else 1.2.0 on transformers 4.57.6)")
      .option("--memory", "add each row's model-state memory per GPU (the setup flags of `peftcount memory`: --dtype, --optimizer, --gpus, --zero, --gpu-memory, ...)")
      .option("--size", "add each row's adapter_model.safetensors size for a base model loaded in --dtype (default: the config's dtype); adapter weights fp32 unless --no-autocast-adapter-dtype")
      .allowUnknownOption()
      .allowExcessArguments()
      .addHelpText("after", METHOD_FLAGS_HELP)
      .action(action(io, async () => (await import("./commands/compare.js")).runCompare));

  if (only.includes("count"))
    outputOptions(modelOptions(program.command("count")))
      .description("count one adapter: a PEFT adapter_config.json, or a method spec")
      .option("-a, --adapter <path>", "adapter_config.json (or a folder holding one), or an HF adapter repo id")
      .option("--axolotl <file>", "an axolotl training config (YAML): its LoRA settings and base_model")
      .option("--llama-factory <file>", "a LLaMA-Factory training config (YAML): its LoRA settings and model_name_or_path")
      .option("--adapters-version <version>", "AdapterHub adapters: reproduce this adapters release (default: the adapter file's version, else the one for --transformers-version, else 1.2.0 on transformers 4.57.6)")
      .option("--no-parts", "table output without the per-module breakdown")
      .option("--method <spec...>", 'method and options, e.g. "lora r=16 target_modules=all-linear" (default: lora)')
      .option("--dtype <dtype>", "also the size of adapter_model.safetensors for a base model loaded in this dtype: fp32, fp16, bf16 (adapter weights stay fp32, PEFT's autocast)")
      .option("--no-autocast-adapter-dtype", "adapter weights saved in the --dtype (PEFT autocast_adapter_dtype=False)")
      .allowUnknownOption()
      .allowExcessArguments()
      .addHelpText("after", METHOD_FLAGS_HELP)
      .action(action(io, async () => (await import("./commands/count.js")).runCount));

  if (only.includes("inspect"))
    outputOptions(modelOptions(program.command("inspect")))
      .description("the model's module inventory: groups, shapes, counts, and which names to target")
      .action(action(io, async () => (await import("./commands/inspect.js")).runInspect));

  if (only.includes("verify"))
    outputOptions(modelOptions(program.command("verify")))
      .description("a checkpoint's tensors (safetensors / GGUF headers) against the model built from its config.json")
      .action(action(io, async () => (await import("./commands/verify.js")).runVerify));

  if (only.includes("models"))
    outputOptions(program.command("models"))
      .description("built-in models (presets) with their published parameter counts")
      .action(action(io, async () => (await import("./commands/models.js")).runModels));

  if (only.includes("transforms"))
    outputOptions(program.command("transforms"))
      .description("model transforms for --transform (prune, factorize, share, hash): papers, counts, options")
      .action(action(io, async () => (await import("./commands/transforms.js")).runTransforms));

  if (only.includes("methods"))
    outputOptions(program.command("methods"))
      .description("supported methods; with ids (methods lora adapters:compacter), only those, with their options")
      .argument("[ids...]", "method ids to show (all when none)")
      .option("--verbose", "formulas and every option with its default")
      .action(action(io, async () => (await import("./commands/methods.js")).runMethods));

  if (only.includes("check"))
    gatesInputs(outputOptions(modelOptions(program.command("check"))))
      .description("fail a CI job (exit 1) when an adapter exceeds its limits; limits also from peftcount.json / package.json / peftcount.yaml")
      .option("--max-trainable <n>", "most trainable parameters: 39976960, 250K, 20M, 1.5B")
      .option("--max-percent <p>", "most trainable / all parameters, in % (PEFT's trainable%)")
      .option("--max-percent-of-full <p>", "most trainable / base parameters, in %")
      .option("--max-adapter-size <size>", "largest adapter_model.safetensors: 100MB, 1.5GiB, 500KiB (for --dtype; default fp32)")
      .option("--fail-on-unmatched-targets", "fail when a target_modules entry matches no module (PEFT only needs one to match)")
      .option("--limits <file>", "limits file (default: ./peftcount.json, ./peftcount.yaml, or package.json \"peftcount\")")
      .action(action(io, async () => (await import("./commands/check.js")).runCheck));

  if (only.includes("budget"))
    gatesInputs(outputOptions(modelOptions(program.command("budget"))))
      .description("the largest value of a method's size knob (r, prompt tokens, n_frequency, ...) that fits a budget, exactly")
      .option("--max-trainable <n>", "most trainable parameters: 20M, 1.5B, 39976960")
      .option("--percent <p>", "the value closest to this % of all parameters (PEFT's trainable%)")
      .option("--max-adapter-size <size>", "largest adapter_model.safetensors for --dtype: 50MB, 1.5GiB")
      .option("--knob <option>", "the option to search (default: the method's size knob)")
      .option("--max-value <n>", "largest knob value tried (default 1048576)")
      .action(action(io, async () => (await import("./commands/budget.js")).runBudget));

  if (only.includes("sweep"))
    gatesInputs(outputOptions(modelOptions(program.command("sweep"))))
      .description("counts (and adapter sizes) over a list of values of one option: --r 1,2,4,8..256 or --r pow2:1..256")
      .action(action(io, async () => (await import("./commands/sweep.js")).runSweep));

  if (only.includes("memory"))
    memorySetupOptions(outputOptions(modelOptions(program.command("memory"))))
      .description("model-state memory (weights, adapter, gradients, optimizer states) per GPU for full fine-tuning and each method; does it fit")
      .option("--method <spec...>", 'a row: "lora r=16 target_modules=all-linear" (repeatable; replaces the default rows)')
      .option("--methods <ids>", 'rows with each method\'s defaults: "all" or a list, e.g. lora,dora,vera')
      .option("-a, --adapter <path>", "one row from a PEFT adapter_config.json")
      .option("--no-full", "leave out the full fine-tuning row")
      .addOption(new Option("--compat <tool>", "print what another tool's estimator prints for this model: deepspeed (its ZeRO-2 / ZeRO-3 tables, --zero 2|3), accelerate (accelerate estimate-memory)").choices(["deepspeed", "accelerate"]))
      .allowUnknownOption()
      .allowExcessArguments()
      .addHelpText("after", METHOD_FLAGS_HELP)
      .action(action(io, async () => (await import("./commands/memory.js")).runMemory));

  if (only.includes("schema"))
    program
      .command("schema")
      .argument("[which]", "report (compare / count --json, the default) or methods (methods --json)")
      .description("JSON Schema of a --json payload")
      .action(action(io, async () => (await import("./commands/schema.js")).runSchema));

  return program;
}

function wantsJson(argv: readonly string[]): boolean {
  return argv.includes("--json") || argv.some((a, i) => (a === "--format" && argv[i + 1] === "json") || a === "--format=json");
}

/** Writes an error the way the user asked for output: JSON on stderr under --json, else two lines. */
export function reportError(e: PeftcountError, io: Io, json: boolean): void {
  if (json) io.stderr(`${JSON.stringify({ error: { code: e.code, message: e.message, hint: e.hint ?? null } })}\n`);
  else io.stderr(`error: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ""}`);
}

/** The default command takes no arguments, so a leading word that names no command is a mistyped one. */
function checkCommand(argv: readonly string[]): void {
  const first = argv[0];
  const names: string[] = [...COMMANDS];
  if (first === undefined || first.startsWith("-") || first === "help" || names.includes(first)) return;
  throw new UsageError("UNKNOWN_COMMAND", `unknown command "${first}"`, `${didYouMean(first, names)}commands: ${names.join(", ")} (compare is the default); see "peftcount --help"`);
}

/** commander.unknownOption → UNKNOWN_OPTION */
const commanderCode = (code: string) => code.replace(/^commander\./, "").replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const json = wantsJson(argv);
  try {
    checkCommand(argv);
    const program = buildProgram(io, commandsFor(argv));
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      // "error: unknown option '--rank'\n(Did you mean --task?)" → message, and the suggestion into the hint
      const [first = "", ...more] = e.message.replace(/^error: /, "").split("\n");
      const suggestion = /^\(Did you mean (.+)\?\)$/.exec(more.join(" ").trim())?.[1];
      const hint = `${suggestion ? `did you mean ${suggestion}? ` : ""}run "peftcount --help" or "peftcount <command> --help"`;
      reportError(new UsageError(commanderCode(e.code), first, hint), io, json);
      return 2;
    }
    if (e instanceof PeftcountError) {
      reportError(e, io, json);
      if (io.env["PEFTCOUNT_DEBUG"] === "1" && e.stack) io.stderr(`${e.stack}\n`);
      return e instanceof UsageError ? 2 : 1;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr(`error: internal error: ${err.message}\nhint: this is a bug in peftcount; please report it (PEFTCOUNT_DEBUG=1 shows the stack)\n`);
    if (io.env["PEFTCOUNT_DEBUG"] === "1" && err.stack) io.stderr(`${err.stack}\n`);
    return 1;
  }
}
