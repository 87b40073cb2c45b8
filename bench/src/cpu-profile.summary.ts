import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)}%`;

/** `node_modules/@nestjs/core/...` → `@nestjs/core`; `node:internal/...` → `node`; our dist files as they are. */
const ownerOf = (url: string): string => {
  const at = url.lastIndexOf('node_modules/');
  if (at !== -1) {
    const parts = url.slice(at + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:') || url === '') return 'node (internals, native)';
  const dist = url.indexOf('/dist/');
  return dist === -1
    ? url
    : url
        .slice(dist + '/dist/'.length)
        .split('/')
        .slice(0, 2)
        .join('/');
};

/**
 * The busy time of one V8 CPU profile (`--cpu-prof`), by self time: the top functions and the
 * top packages. Idle samples are left out, so percentages are of the time the process worked.
 */
export const summarizeProfile = (file: string, top = 12): string[] => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (count === 0 || functionName === '(idle)') continue;
    busy += count;
    const name =
      `${functionName || '(anonymous)'} ${url === '' ? '' : `${ownerOf(url)}:${lineNumber + 1}`}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    const owner = functionName.startsWith('(') ? functionName : ownerOf(url);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + count);
  }
  const ranked = (map: Map<string, number>): string[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => `    ${percent(count, busy).padStart(6)}  ${name}`);
  return ['  by package:', ...ranked(byOwner), '  by function (self time):', ...ranked(byFunction)];
};

/** Summaries of the profiles in `dir` of the given processes (pid → name), e.g. gateway and db. */
export const summarizeProfiles = (dir: string, pids: Record<string, number>): string[] => {
  const lines: string[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const [name, pid] of Object.entries(pids)) {
    const file = files.find((f) => f.split('.').includes(String(pid)));
    if (file === undefined) continue;
    lines.push(`${name} (${join(dir, file)}):`, ...summarizeProfile(join(dir, file)));
  }
  return lines;
};
