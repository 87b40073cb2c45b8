import { SogomsError } from '@sogoms/common';

/** One thing wrong in one configuration file. */
export interface ConfigProblem {
  /** Path relative to the config root's parent, e.g. `config/apps/prokov/app.yaml`. */
  file: string;
  /** 1-based line in that file, when it can be located. */
  line?: number;
  /** Key path inside the file, e.g. `auth.jwt_secret` or `hosts[1]`. */
  key: string;
  /** What a valid value looks like, e.g. `a string of at least 32 characters`. */
  expected: string;
  /** What was found instead, e.g. `12 characters` (secrets are described, never shown). */
  got?: string;
}

export const formatProblem = (problem: ConfigProblem): string => {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const got = problem.got === undefined ? '' : `, got ${problem.got}`;
  return `${where}: ${problem.key}: expected ${problem.expected}${got}`;
};

/**
 * The configuration cannot be used. Thrown once at start-up (or by a reload) with every problem
 * found, so one run shows everything to fix.
 */
export class ConfigError extends SogomsError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      'VALIDATION_FAILED',
      [`Invalid configuration (${count}):`, ...problems.map(formatProblem)].join('\n'),
      {
        problems,
      },
    );
    this.name = 'ConfigError';
  }
}
