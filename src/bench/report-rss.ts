// Loaded with --import by the benchmark: writes the process's peak RSS (KiB) and CPU time (ms, user
// and system) where it is told. CPU time says more than wall time on a machine busy with other work.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
