// reply.view() is @fastify/view's (Nest registers the plugin in setViewEngine); this import brings its types.
import '@fastify/view';
import type { FastifyReply } from 'fastify';

/** What the error page says, by status: the detail line comes from the error itself. */
const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign in first',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  422: 'Check the form',
  429: 'Too many attempts',
  503: 'A service is not answering',
};

/** Renders the error page (views/error.eta) with its status; the one way the admin shows an error. */
export const sendErrorPage = async (reply: FastifyReply, status: number, message: string): Promise<void> => {
  const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Refused');
  await reply.code(status).view('error', { title, status, message, page: null });
};
