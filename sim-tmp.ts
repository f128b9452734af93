import { runSeed } from './actors/runtime/sim/mod.ts';
const from = Number(process.argv[2] ?? 1), to = Number(process.argv[3] ?? 10);
let fails = 0; const tot: Record<string, number> = {};
const t0 = Date.now();
for (let s = from; s <= to; s++) {
  const r = await runSeed(s);
  for (const [k, v] of Object.entries(r.stats)) tot[k] = (tot[k] ?? 0) + v;
  if (!r.ok) { fails++; console.log(`seed ${s}: ${r.violations.join('; ')}`); }
}
console.log(`seeds ${from}-${to}: ${fails} failures, ${JSON.stringify(tot)}, ${Date.now() - t0} ms`);
