import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/test-config.factory.js';

const UNIT = join(PROJECT_ROOT, 'deploy/systemd/sogoms.service');
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const hasSystemdAnalyze = existsSync(SYSTEMD_ANALYZE);
const RELEASE = '/opt/sogoms/current';

/** The unit's `[Service]` keys; a key given twice keeps every value. */
const serviceKeys = (): Map<string, string[]> => {
  const keys = new Map<string, string[]>();
  let section = '';
  for (const raw of readFileSync(UNIT, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    if (section !== 'Service') continue;
    const at = line.indexOf('=');
    const key = line.slice(0, at);
    keys.set(key, [...(keys.get(key) ?? []), line.slice(at + 1)]);
  }
  return keys;
};

describe('deploy/systemd/sogoms.service', () => {
  const keys = serviceKeys();
  const one = (key: string): string | undefined => keys.get(key)?.[0];

  // Debian's systemd package provides it (and CI has it); without it there is nothing to check against.
  it.skipIf(!hasSystemdAnalyze)('passes systemd-analyze verify without a single warning', () => {
    // verify prints unknown keys and bad values on stderr and still exits 0: the output must be empty.
    const result = spawnSync(SYSTEMD_ANALYZE, ['verify', '--man=no', UNIT], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(!hasSystemdAnalyze)('rates as well hardened in systemd-analyze security', () => {
    const out = execFileSync(SYSTEMD_ANALYZE, ['security', '--offline=yes', UNIT], { encoding: 'utf8' });
    const exposure = Number(/Overall exposure level for sogoms\.service: ([\d.]+)/.exec(out)?.[1]);
    // 10 is a unit with no hardening at all; "OK" starts below 5, what remains is network access.
    expect(exposure).toBeLessThan(4);
  });

  it('runs the supervisor unprivileged, restarts it on failure, reloads and stops it through itself', () => {
    expect(one('User')).toBe('sogoms');
    expect(one('Restart')).toBe('on-failure');
    expect(one('ExecStart')).toMatch(
      new RegExp(`^/usr/bin/node .*${RELEASE}/dist/bundle/ctl/main\\.js --config /etc/sogoms$`),
    );
    expect(one('ExecReload')).toBe(`/usr/bin/node ${RELEASE}/bin/sogoms.js reload --config /etc/sogoms`);
    // SIGTERM to the supervisor alone: it stops the services in order.
    expect(one('KillMode')).toBe('mixed');
    expect(one('KillSignal')).toBe('SIGTERM');
    // What the unit starts exists in a build (the release folder is a copy of this tree).
    for (const entry of ['dist/bundle/ctl/main.js', 'bin/sogoms.js']) {
      expect(existsSync(join(PROJECT_ROOT, entry)), entry).toBe(true);
    }
  });

  it('gets its run and log dirs from systemd, and can write nothing else', () => {
    expect(one('RuntimeDirectory')).toBe('sogoms');
    expect(one('LogsDirectory')).toBe('sogoms');
    expect(one('StateDirectory')).toBe('sogoms');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ReadWritePaths')?.split(' ')).toEqual(['/run/sogoms', '/var/log/sogoms', '/var/lib/sogoms']);
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('ProtectHome')).toBe('yes');
    // Empty: the process may hold no capability at all.
    expect(keys.get('CapabilityBoundingSet')).toEqual(['']);
  });
});
