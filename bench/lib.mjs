// Library benchmark, run in its own (cold) process by bench.mjs: `node bench/lib.mjs <dist/index.js> <task>`.
// task "throughput": evaluations/s per method and model, in steady state (each method runs untimed for
// 150 ms first, so the JIT warm-up of the first model is not charged to it); task "sweep": a 1,000-point
// LoRA rank sweep on qwen3-235b-a22b per-expert (inventory built once) through the library's `planMethod` (one
// plan, the knob validated per point; CPU ms per phase: build, plan + first point, the other 999 points), or
// `sweep` / an `evaluate` per point on builds without it. One JSON line; peak RSS.
const [, , entry, task, limitMs = "30000"] = process.argv;
const lib = await import(entry);
const { buildInventory, evaluate, findFormula, findPreset } = lib;
const now = () => performance.now();
/** CPU time of this process (user + system), ms: what an evaluation costs, whatever else the machine runs */
const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

const MODELS = {
  "llama-3-8b": () => buildInventory(findPreset("llama-3-8b").config),
  "qwen3-235b-a22b per-expert": () => buildInventory(findPreset("qwen3-235b-a22b").config, { expertLayout: "per-expert" }),
};
// a size knob varies between evaluations so that no result can simply be looked up
const METHODS = {
  "lora r=16 all-linear": ["lora", (i) => ({ r: 16 + (i % 8), target_modules: "all-linear" })],
  "ia3 q,v,down_proj": ["ia3", () => ({ target_modules: ["q_proj", "v_proj", "down_proj"], feedforward_modules: ["down_proj"] })],
  "vera q,v_proj": ["vera", (i) => ({ r: 256 + (i % 8), target_modules: ["q_proj", "v_proj"] })],
  "prefix-tuning": ["prefix-tuning", (i) => ({ num_virtual_tokens: 20 + (i % 8) })],
};

function throughput(inv, id, options, budgetMs) {
  const f = findFormula(id);
  // warm-up: any per-inventory plan, and the JIT; budgets are CPU time, so a loaded machine measures the same
  for (let i = 0, w0 = cpuNow(); i < 3 || cpuNow() - w0 < 150; i++) evaluate(f, inv, options(i));
  let n = 0;
  const t0 = now();
  const c0 = cpuNow();
  let c = c0;
  while (c - c0 < budgetMs || n < 3) {
    for (let k = 0; k < 16; k++) evaluate(f, inv, options(n++));
    c = cpuNow();
  }
  const t = now();
  const cpuMs = c - c0;
  // per CPU-second: on a loaded machine the wall clock also counts the time other processes ran
  return { evals: n, ms: t - t0, cpuMs, perSecond: (n * 1000) / cpuMs, perWallSecond: (n * 1000) / (t - t0) };
}

const out = {};
if (task === "throughput") {
  for (const [model, build] of Object.entries(MODELS)) {
    const t0 = now();
    const inv = build();
    out[model] = { buildMs: now() - t0, methods: {} };
    for (const [label, [id, options]] of Object.entries(METHODS)) out[model].methods[label] = throughput(inv, id, options, 400);
  }
} else if (task === "sweep") {
  const t0 = now();
  const c0 = cpuNow();
  const inv = MODELS["qwen3-235b-a22b per-expert"]();
  // the phases (CPU ms): inventory build, plan + first point, the other 999 points
  out.buildCpuMs = cpuNow() - c0;
  const lora = findFormula("lora");
  let points = 0;
  if (typeof lib.planMethod === "function") {
    out.api = "planMethod";
    const c1 = cpuNow();
    const at = lib.planMethod(lora, inv, { target_modules: "all-linear" }, "r");
    const results = [at(1)];
    const c2 = cpuNow();
    for (let r = 2; r <= 1000; r++) results.push(at(r));
    out.firstPointCpuMs = c2 - c1;
    out.pointsCpuMs = cpuNow() - c2;
    points = results.length;
  } else if (typeof lib.sweep === "function") {
    out.api = "sweep";
    points = lib.sweep(lora, inv, { target_modules: "all-linear" }, "r", Array.from({ length: 1000 }, (_, i) => i + 1)).length;
  } else {
    out.api = "evaluate";
    for (let r = 1; r <= 1000; r++) {
      evaluate(lora, inv, { r, target_modules: "all-linear" });
      points++;
      if (now() - t0 > Number(limitMs)) break;
    }
  }
  out.points = points;
  out.inProcessMs = now() - t0;
  out.inProcessCpuMs = cpuNow() - c0;
  out.processCpuMs = cpuNow();
}
out.maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify(out)}\n`);
