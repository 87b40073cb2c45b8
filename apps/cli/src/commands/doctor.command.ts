import { ConfigError, formatProblem, loadConfig } from '@sogoms/config';
import { EXIT, type CliCommand } from '../cli-context.js';
import { appChecks } from '../doctor/app.checks.js';
import { failed, passed, type DoctorFinding } from '../doctor/doctor-finding.js';
import { gatewayPortCheck, nodeVersionCheck, runDirCheck } from '../doctor/system.checks.js';
import { textTable } from '../text-table.js';

/** What `doctor` takes (declared in supervisor.command.ts). */
export interface DoctorOptions {
  json?: boolean;
}

const findingsOf = async (configRoot: string): Promise<DoctorFinding[]> => {
  const findings = [nodeVersionCheck()];
  let loaded;
  try {
    loaded = loadConfig(configRoot);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [
      ...findings,
      ...error.problems.map((p) =>
        failed('config', formatProblem(p), 'fix the key named, in the file named'),
      ),
    ];
  }
  const { global, apps } = loaded;
  findings.push(passed('config', `${apps.length} app(s): ${apps.map((a) => a.name).join(', ') || 'none'}`));
  findings.push(runDirCheck(global.runDir), await gatewayPortCheck(global));
  for (const findingsOfApp of await Promise.all(apps.map(appChecks))) findings.push(...findingsOfApp);
  return findings;
};

/** `sogoms doctor [--json]`: one line per check, ok or the problem and its fix; exit 1 on any problem. */
export const doctorCommand: CliCommand<DoctorOptions> = {
  async run(ctx) {
    const findings = await findingsOf(ctx.configRoot);
    if (ctx.options.json === true) ctx.out(JSON.stringify(findings, null, 2));
    else
      ctx.out(
        textTable(
          ['', 'CHECK', 'FINDING'],
          findings.map((f) => [
            f.ok ? 'ok' : 'PROBLEM',
            f.check,
            f.ok ? f.detail : `${f.detail} — fix: ${f.fix ?? ''}`,
          ]),
        ),
      );
    return findings.every((f) => f.ok) ? EXIT.ok : EXIT.findings;
  },
};
