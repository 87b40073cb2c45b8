import { callService } from './service-client.js';

/** One call to the running mailer (`{run_dir}/mailer.sock`); see callService for the failures. */
export const callMailer = <T>(
  configRoot: string,
  pattern: string,
  data: Record<string, unknown>,
): Promise<T> => callService<T>(configRoot, 'mailer', pattern, data);
