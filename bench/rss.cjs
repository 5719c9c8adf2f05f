// Preloaded into every timed process by bench.mjs (`node -r bench/rss.cjs ...`, node -e 0 included): at exit,
// the process's peak RSS, CPU time (user + system, all threads) and minor page faults, on stderr.
"use strict";
process.on("exit", () => {
  const u = process.resourceUsage();
  require("node:fs").writeSync(2, `\npeftcount-bench rss-kb ${u.maxRSS} cpu-us ${u.userCPUTime + u.systemCPUTime} minflt ${u.minorPageFault}\n`);
});
