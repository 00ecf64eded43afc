// Preloaded with --require by the benchmark: writes the process's peak RSS (KiB) and CPU time (ms,
// user and system) where it is told. CPU time says more than wall time on a machine busy with other work.
// CommonJS and --require, not an ES module and --import: a module given to --import starts Node's ES
// loader before the tool's own entry point, some 10-20 ms the benchmark would count and a user never pays.
import fs = require('node:fs');

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(file, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
