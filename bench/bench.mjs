#!/usr/bin/env node
// `npm run bench`: start-up and library benchmarks in one run. A benchmark, not a test: it never fails.
// CLI: whole-process wall time of each case against bare `node -e 0`, in interleaved rounds (one run of every
// case per round, so load from other processes hits all cases alike); each ratio is the median over rounds of
// case / node -e 0 in the same round. The first rounds are warm-up (file cache, code cache).
// Library: bench/lib.mjs in a fresh process: evaluations/s, a 1,000-point rank sweep (cold process included), peak RSS.
// usage: npm run bench [-- --runs N] [-- --root DIR] [-- --base DIR] [-- --cases REGEX] [-- --no-cli] [-- --no-lib]
//   --root DIR: measure another checkout's built bin/ + dist/; --base DIR: also run every CLI case on that
//   checkout's build, in the same rounds (before / after in one run); REGEX: only the CLI cases whose label
//   matches (node -e 0 always runs); --no-cli / --no-lib: skip the CLI cases (but node -e 0) or the library part.
// Each build runs with its own code-cache directory (a fresh XDG_CACHE_HOME, filled in the warm-up rounds): the
// shim keeps one bundle's cache per directory, so two builds sharing one would evict each other every run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const runs = Number(arg("--runs", "20"));
const here = dirname(fileURLToPath(import.meta.url));
const root = arg("--root", join(here, ".."));
const bin = join(root, "bin", "peftcount.js");
const baseRoot = arg("--base", undefined);
const caches = mkdtempSync(join(tmpdir(), "peftcount-bench-"));
process.on("exit", () => rmSync(caches, { recursive: true, force: true }));
const entry = pathToFileURL(join(root, "dist", "index.js")).href;
const adapter = join(here, "..", "examples", "adapter_config.json");
const env = { ...process.env, NO_COLOR: "1" };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const probe = join(here, "rss.cjs");
function spawn(args, extra = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-r", probe, ...args], { stdio: ["ignore", "pipe", "pipe"], env, maxBuffer: 1 << 28, ...extra });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const m = /peftcount-bench rss-kb (\d+) cpu-us (\d+) minflt (\d+)/.exec(String(r.stderr));
  return { ms, stdout: String(r.stdout), stderr: String(r.stderr), rssMB: Number(m?.[1]) / 1024, cpuMs: Number(m?.[2]) / 1000, faults: Number(m?.[3]) };
}

const only = arg("--cases", undefined);
const cliCases = (b, suffix) => [
  [`peftcount --version${suffix}`, [b, "--version"]],
  [`peftcount compare${suffix}`, [b, "compare"]],
  [`peftcount compare --json${suffix}`, [b, "compare", "--json"]],
  [`peftcount count --adapter examples/adapter_config.json${suffix}`, [b, "count", "--model", "llama-3-8b", "--adapter", adapter]],
  [`peftcount compare --model qwen3-235b-a22b --expert-layout per-expert${suffix}`, [b, "compare", "--model", "qwen3-235b-a22b", "--expert-layout", "per-expert"]],
];
/** [label, node arguments, spawn options]: each build with its own cache directory */
const withCache = (cases, name) => cases.map(([label, args]) => [label, args, { env: { ...env, XDG_CACHE_HOME: join(caches, name) } }]);
const ALL_CASES = [
  ["node -e 0", ["-e", "0"]],
  ...(baseRoot === undefined
    ? withCache(cliCases(bin, ""), "root")
    : cliCases(bin, "").flatMap((c, i) => [...withCache([c], "root"), ...withCache([cliCases(join(baseRoot, "bin", "peftcount.js"), " (base)")[i]], "base")])),
];
const CASES = process.argv.includes("--no-cli") ? ALL_CASES.slice(0, 1) : ALL_CASES.filter(([label], i) => i === 0 || only === undefined || new RegExp(only).test(label.replace(/ \(base\)$/, "")));

const warm = 3;
const times = CASES.map(() => []);
const ratios = CASES.map(() => []);
const cpu = CASES.map(() => []);
const cpuRatios = CASES.map(() => []);
const rss = CASES.map(() => []);
const faults = CASES.map(() => []);
const firstMs = CASES.map(() => 0);
// a slow case (seconds per run) stops after 3 measured rounds once it has cost 20 s
const slow = (i) => times[i].length >= 3 && times[i].reduce((a, b) => a + b, 0) > 20_000;
for (let round = 0; round < runs + warm; round++) {
  const row = CASES.map(([, args, extra], i) => ((round >= warm && i > 0 && slow(i)) || (round > 0 && round < warm && times[i].length === 0 && i > 0 && firstMs[i] > 2000) ? undefined : spawn(args, extra)));
  row.forEach((run, i) => {
    if (round === 0) firstMs[i] = run.ms;
    if (round < warm || run === undefined) return;
    times[i].push(run.ms);
    ratios[i].push(run.ms / row[0].ms);
    cpu[i].push(run.cpuMs);
    cpuRatios[i].push(run.cpuMs / row[0].cpuMs);
    rss[i].push(run.rssMB);
    faults[i].push(run.faults);
  });
}


console.log(`peftcount benchmarks: node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? "cpu"}, load average ${loadavg()[0].toFixed(1)} at start`);
console.log(`\nCLI: medians over ${runs} interleaved rounds (after ${warm} warm-up rounds; a case slower than 2 s warms up once and stops after 20 s).`);
console.log(`× node -e 0 = median over rounds of case / node -e 0 in the same round: wall time, and CPU time (user + system, all threads; less sensitive to other load)`);
console.log(`minor page faults: new memory the process touched (on some VMs each costs tens of µs, and they are most of the CPU time)`);
console.log(`| case | runs | wall ms | wall × node -e 0 | CPU ms | CPU × node -e 0 | page faults | peak RSS MB |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
CASES.forEach(([label], i) => {
  const x = (rs) => (i === 0 ? "1.00" : median(rs).toFixed(2));
  console.log(`| ${label} | ${times[i].length} | ${median(times[i]).toFixed(1)} | ${x(ratios[i])} | ${median(cpu[i]).toFixed(1)} | ${x(cpuRatios[i])} | ${median(faults[i]).toFixed(0)} | ${Math.max(...rss[i]).toFixed(0)} |`);
});

if (process.argv.includes("--no-lib")) process.exit(0);
const lib = (task, limit) => JSON.parse(spawn([join(here, "lib.mjs"), entry, task, String(limit ?? "")]).stdout.trim().split("\n").pop());
const tp = lib("throughput");
console.log(`\nLibrary (dist/index.js, fresh process): evaluations per CPU-second, steady state (a size knob varies per evaluation)`);
const labels = Object.keys(Object.values(tp).find((v) => v && v.methods).methods);
const models = Object.keys(tp).filter((k) => tp[k] && tp[k].methods);
console.log(`| method | ${models.join(" | ")} |\n| --- | ${models.map(() => "---:").join(" | ")} |`);
const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(1));
for (const l of labels) console.log(`| ${l} | ${models.map((m) => `${fmt(tp[m].methods[l].perSecond)}/s (${(1000 / tp[m].methods[l].perSecond).toFixed(3)} ms)`).join(" | ")} |`);
console.log(`| (inventory build) | ${models.map((m) => `${tp[m].buildMs.toFixed(1)} ms`).join(" | ")} |`);
console.log(`peak RSS of the throughput process: ${tp.maxRssMB.toFixed(0)} MB`);

const limit = 60_000;
const t0 = performance.now();
const sw = lib("sweep", limit);
const wall = performance.now() - t0;
const done = sw.points === 1000;
console.log(
  `\n1,000-point LoRA rank sweep (r = 1..1000, all-linear) on qwen3-235b-a22b per-expert, cold process included: ` +
    (done
      ? `${wall.toFixed(0)} ms wall, ${sw.processCpuMs.toFixed(0)} ms CPU for the whole process (${sw.inProcessMs.toFixed(0)} ms wall / ${sw.inProcessCpuMs.toFixed(0)} ms CPU after import, through ${sw.api}; node -e 0: ${median(cpu[0] ?? []).toFixed(0)} ms CPU), peak RSS ${sw.maxRssMB.toFixed(0)} MB`
      : `stopped after ${sw.points} points in ${(wall / 1000).toFixed(1)} s (limit ${limit / 1000} s): ~${((sw.inProcessMs / sw.points) * 1000 / 1000).toFixed(0)} s extrapolated, peak RSS ${sw.maxRssMB.toFixed(0)} MB`),
);
