import { epochDay, parseLogFileName, utcDay } from './log-file-name.js';

/**
 * The log files to delete on `today` (pure: no clock, no disk). A file dated D is `today - D`
 * days old (UTC) and goes once that age exceeds its app's retention: with 14 days, today's file
 * and those of the 14 days before are kept. Files that are not log files are never listed.
 */
export const expiredLogFiles = (
  fileNames: readonly string[],
  today: Date,
  retentionDaysOf: (app: string) => number,
): string[] => {
  const todayIndex = epochDay(utcDay(today)) as number;
  return fileNames.filter((name) => {
    const parsed = parseLogFileName(name);
    if (parsed === undefined) return false;
    const age = todayIndex - (epochDay(parsed.day) as number);
    return age > retentionDaysOf(parsed.app);
  });
};
