// Prokov's demo module: a new task goes to the end of its list. A task created without a
// `position` gets the next one among the user's tasks of the same project (or of no project).
//
// A SOGOMS module is loaded by the gateway without a build: plain ESM, no imports needed.
// This one is written the Nest way: the default export is a Nest dynamic module whose
// SOGOMS_HOOKS provider is the hooks object, built from the injected SOGOMS_MODULE_CONTEXT
// (ctx.db, ctx.log, ctx.options, ctx.error). See docs/api.md, "Modules and hooks".
//
// Limit: the rows of one bulk create (an array body) are numbered before any is inserted, so
// they all get the same next position.

const NEXT_POSITION =
  'SELECT COALESCE(MAX(position), -1) + 1 AS next FROM tasks WHERE user_id = ? AND project_id <=> ?';

class TaskPositionHooks {
  tables = ['tasks'];

  constructor(ctx) {
    this.ctx = ctx;
  }

  async nextPosition(userId, projectId) {
    const row = await this.ctx.db.queryOne(NEXT_POSITION, [userId, projectId ?? null]);
    return Number(row?.next ?? 0);
  }

  /** Runs before every operation on `tasks`; only a create without a position is changed. */
  async before(hook) {
    if (hook.op !== 'create' || hook.user === undefined || hook.input === undefined) return;
    if (hook.input.position !== undefined) return;
    hook.input.position = await this.nextPosition(hook.user.id, hook.input.project_id);
  }

  /** `GET {base}/tasks/next-position?project_id=3`: the position a new task would get. */
  routes(router) {
    router.get(
      '/tasks/next-position',
      async (request) => {
        const project = request.query.project_id;
        if (project !== undefined && (typeof project !== 'string' || !/^\d+$/.test(project)))
          throw this.ctx.error('VALIDATION_FAILED', 'Invalid query parameters', {
            project_id: ['must be a project id'],
          });
        return { position: await this.nextPosition(request.user.id, project ?? null) };
      },
      { summary: 'The position the next new task would get' },
    );
  }
}

class TaskPositionModule {}

export default {
  module: TaskPositionModule,
  providers: [
    {
      provide: 'SOGOMS_HOOKS',
      useFactory: (ctx) => new TaskPositionHooks(ctx),
      inject: ['SOGOMS_MODULE_CONTEXT'],
    },
  ],
};
