#!/usr/bin/env node
// Startup benchmark: median wall time of `peftcount compare` (default model, all default rows, JSON to a
// pipe) against bare `node -e 0`, over repeated runs, after warm-up. A benchmark, not a test: it never fails.
// usage: npm run bench [-- --runs N]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 30;
const bin = fileURLToPath(new URL("../bin/peftcount.js", import.meta.url));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(args) {
  const ms = [];
  for (let i = 0; i < runs + 3; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    const dt = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    if (i >= 3) ms.push(dt); // first runs warm the file cache and the compile cache
  }
  return median(ms);
}

const cases = [
  ["node -e 0", ["-e", "0"]],
  ["peftcount --version", [bin, "--version"]],
  ["peftcount compare", [bin, "compare"]],
  ["peftcount compare --json", [bin, "compare", "--json"]],
  ["peftcount compare --model qwen3-235b-a22b", [bin, "compare", "--model", "qwen3-235b-a22b"]],
];
const base = time(cases[0][1]);
console.log(`median wall time over ${runs} runs (node ${process.version})`);
for (const [label, args] of cases) {
  const t = label === cases[0][0] ? base : time(args);
  console.log(`  ${label.padEnd(44)} ${t.toFixed(1).padStart(7)} ms   ${(t / base).toFixed(2)}× node -e 0`);
}
