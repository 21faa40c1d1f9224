/**
 * Reads the `.cpuprofile` files `node --cpu-prof` wrote and says where the time went: self time
 * grouped by where the code lives (our server modules, each dependency, Node internals, idle and
 * garbage collection), and the heaviest functions. Markdown, for the report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: `server/…` and `survey-definitions/…` by folder, packages by name. */
function place(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node internals';
  const match = /\/(server|survey-definitions|analysis)\/(.*)$/.exec(url);
  if (match) return `${match[1]}/${match[2]!.split('/').slice(0, -1).join('/') || match[2]}`;
  return url;
}

export function summarizeCpuProfiles(folder: string, top = 15): string {
  const files = readdirSync(folder).filter((f) => f.endsWith('.cpuprofile'));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const node = nodes.get(id)!;
      const us = profile.timeDeltas[i] ?? 0;
      total += us;
      const { functionName, url, lineNumber } = node.callFrame;
      const where = place(url, functionName);
      byPlace.set(where, (byPlace.get(where) ?? 0) + us);
      const name = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*?(node_modules\/|\/work\/main\/)/, '')}:${lineNumber + 1}` : ''}`.trim();
      byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    });
  }
  if (!total) return `No profile found in ${folder}.`;
  const busy = total - (byPlace.get('(idle)') ?? 0);
  const share = (us: number) => `${((us / busy) * 100).toFixed(1)}%`;
  const rows = (map: Map<string, number>) =>
    [...map]
      .filter(([name]) => name !== '(idle)' && !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
  return [
    `${files.length} profile(s), ${(total / 1e6).toFixed(1)} s sampled, of which ${(busy / 1e6).toFixed(1)} s not idle (shares below are of the non-idle time).`,
    '',
    '| Self time by place | Share |',
    '|---|---:|',
    ...rows(byPlace).map(([name, us]) => `| ${name} | ${share(us)} |`),
    '',
    '| Heaviest functions (self time) | Share |',
    '|---|---:|',
    ...rows(byFunction).map(([name, us]) => `| \`${name}\` | ${share(us)} |`),
  ].join('\n');
}
