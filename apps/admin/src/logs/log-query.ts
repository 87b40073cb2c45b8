import type { LogQuery, LogTypeFilter } from '@sogoms/ipc';

export const LOG_PAGE_SIZE = 50;

/** The log pages' query string (`day`, `type`, `text`, `page`) as a logs.query request, minus the app. */
export const logQueryOf = (query: Record<string, unknown>): Omit<LogQuery, 'app'> => {
  const text = typeof query.text === 'string' && query.text.trim() !== '' ? query.text.trim().slice(0, 200) : undefined;
  const day = typeof query.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(query.day) ? query.day : undefined;
  const type: LogTypeFilter = query.type === 'error' || query.type === 'event' ? query.type : 'all';
  const page = typeof query.page === 'string' && /^\d{1,6}$/.test(query.page) ? Math.max(1, Number(query.page)) : 1;
  return { day, type, text, offset: (page - 1) * LOG_PAGE_SIZE, limit: LOG_PAGE_SIZE };
};
