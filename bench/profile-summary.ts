import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

// `node --import tsx bench/profile-summary.ts <folder> [function…]`: where the CPU went in the V8
// profiles that `npm run bench -- --cpu-prof-dir <folder>` left there, one profile per worker thread,
// by package (node_modules), project folder, or V8's own work (GC, the vm boundary, idle). Each
// function named after the folder gets its inclusive share (itself and all it calls), e.g.
// `importWorkflows`, the SDK's evaluation of the workflow bundle for each new workflow.

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

const topEntries = 12;

/** The package, project folder or V8 activity a stack frame belongs to. */
function owner({ functionName, url }: { functionName: string; url: string }): string {
  const dependency = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency?.[1]) return dependency[1];
  if (url.startsWith('node:')) return 'node internals';
  if (url === '') return functionName.startsWith('(') ? functionName : `native ${functionName}`;
  if (url.endsWith('-bundle.js')) return 'workflow bundle';
  return url.replace(/^file:\/\//, '');
}

function summarize(profile: CpuProfile): { busyMs: number; shares: [string, number][] } {
  const owners = new Map(profile.nodes.map((node) => [node.id, owner(node.callFrame)]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const key = owners.get(id) ?? 'unknown';
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  totals.delete('(idle)');
  const busy = [...totals.values()].reduce((sum, value) => sum + value, 0);
  const shares = [...totals].sort((a, b) => b[1] - a[1]).slice(0, topEntries);
  return { busyMs: busy / 1000, shares: shares.map(([key, value]) => [key, (100 * value) / busy]) };
}

/** The share of busy time spent in a function named `name` or anything it calls. */
function inclusiveShare(profile: CpuProfile, name: string): number {
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const named = new Set(
    profile.nodes.filter((node) => node.callFrame.functionName === name).map((node) => node.id),
  );
  const idle = new Set(
    profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id),
  );
  const within = (id: number | undefined): boolean =>
    id !== undefined && (named.has(id) || within(parents.get(id)));
  let busy = 0;
  let inside = 0;
  profile.samples.forEach((id, index) => {
    if (idle.has(id)) return;
    const delta = profile.timeDeltas[index] ?? 0;
    busy += delta;
    if (within(id)) inside += delta;
  });
  return busy > 0 ? (100 * inside) / busy : 0;
}

const [folder, ...functions] = process.argv.slice(2);
if (!folder)
  throw new Error(
    'usage: node --import tsx bench/profile-summary.ts <folder of .cpuprofile files> [function…]',
  );
for (const file of (await readdir(folder)).filter((name) => name.endsWith('.cpuprofile')).sort()) {
  const profile = JSON.parse(await readFile(join(folder, file), 'utf8')) as CpuProfile;
  const { busyMs, shares } = summarize(profile);
  process.stdout.write(`${file}: ${(busyMs / 1000).toFixed(1)} s busy\n`);
  for (const [key, share] of shares) process.stdout.write(`  ${share.toFixed(1).padStart(5)}%  ${key}\n`);
  for (const name of functions)
    process.stdout.write(
      `  ${inclusiveShare(profile, name).toFixed(1).padStart(5)}%  in ${name}(), inclusive\n`,
    );
}
