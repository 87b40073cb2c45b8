import type autocannon from 'autocannon';

/** The systems a scenario runs on (the names of latest.json). */
export type SystemName = 'sogoms' | 'ceiling' | 'directus' | 'inprocess' | 'sqlite' | 'push' | 'metrics_off';

export type ScenarioId =
  'film_by_id' | 'film_list' | 'rental_includes' | 'payment_write' | 'tasks_owner' | 'auth_login';

export interface ScenarioInfo {
  id: ScenarioId;
  /** As numbered in the issue. */
  number: number;
  /** The request, as the table shows it. */
  title: string;
  /** The app it runs on: Sakila or the demo app. */
  app: 'sakila' | 'prokov';
  /** Baselines that answer it besides SOGOMS. */
  baselines: SystemName[];
}

export const SCENARIOS: readonly ScenarioInfo[] = [
  { id: 'film_by_id', number: 1, title: 'GET /film/{id}', app: 'sakila', baselines: ['ceiling', 'directus'] },
  {
    id: 'film_list',
    number: 2,
    title: 'GET /film?limit=50',
    app: 'sakila',
    baselines: ['ceiling', 'directus'],
  },
  {
    id: 'rental_includes',
    number: 3,
    title: 'GET /rental?filter[customer_id]={id}&include=customer,inventory&limit=20',
    app: 'sakila',
    baselines: ['ceiling', 'directus'],
  },
  {
    id: 'payment_write',
    number: 4,
    title: 'POST /payment + DELETE /payment/{id}',
    app: 'sakila',
    baselines: ['ceiling', 'directus'],
  },
  {
    id: 'tasks_owner',
    number: 5,
    title: 'GET /tasks?limit=20 (owner filter, 1,000 tasks)',
    app: 'prokov',
    baselines: [],
  },
  { id: 'auth_login', number: 6, title: 'POST /auth/login (bcrypt)', app: 'sakila', baselines: [] },
];

/** Where and how one system is called; serialisable, since the load runs in another process. */
export interface LoadTarget {
  system: SystemName;
  port: number;
  /** '/api' for SOGOMS and the ceiling; '' for Directus (its paths carry /items). */
  basePath: string;
  /** The Host header (SOGOMS picks the app by it). */
  host?: string;
  token?: string;
  login?: { email: string; password: string };
}

const FILMS = 1000;
const CUSTOMERS = 599;
const STAFF = 2;
const randomId = (max: number): number => 1 + Math.floor(Math.random() * max);

/** A payment the write scenario creates (then deletes); Sakila's payment_date has no default. */
export const paymentBody = (): Record<string, unknown> => ({
  customer_id: randomId(CUSTOMERS),
  staff_id: randomId(STAFF),
  rental_id: null,
  amount: '2.99',
  payment_date: '2026-01-15T10:00:00Z',
});

interface ScenarioContext {
  id?: string | number;
}

/** The path of one scenario's (first) request on a system; also used to probe whether it exists. */
export const scenarioPath = (scenario: ScenarioId, target: LoadTarget, id = 1): string => {
  const base = target.basePath;
  const directus = target.system === 'directus';
  switch (scenario) {
    case 'film_by_id':
      return directus ? `/items/film/${id}` : `${base}/film/${id}`;
    case 'film_list':
      return directus ? '/items/film?limit=50' : `${base}/film?limit=50`;
    case 'rental_includes':
      return directus
        ? `/items/rental?filter%5Bcustomer_id%5D%5B_eq%5D=${id}&fields=*,customer_id.*,inventory_id.*&limit=20`
        : `${base}/rental?filter%5Bcustomer_id%5D=${id}&include=customer,inventory&limit=20`;
    case 'payment_write':
      return directus ? '/items/payment' : `${base}/payment`;
    case 'tasks_owner':
      return `${base}/tasks?limit=20`;
    case 'auth_login':
      return `${base}/auth/login`;
  }
};

/** The id of what a create answered (`{data: {payment_id}}` everywhere). */
export const createdId = (body: string): string | number | undefined => {
  try {
    const id = (JSON.parse(body) as { data?: { payment_id?: unknown } }).data?.payment_id;
    return typeof id === 'number' || typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
};

/**
 * autocannon's request list for a scenario: each request is built per call (`setupRequest`) so
 * ids are random; the write scenario deletes, on the same connection, what its POST created.
 */
export const scenarioRequests = (scenario: ScenarioId, target: LoadTarget): autocannon.Request[] => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.host !== undefined) headers.host = target.host;
  if (target.token !== undefined && scenario !== 'auth_login')
    headers.authorization = `Bearer ${target.token}`;
  const json = { ...headers, 'content-type': 'application/json' };
  const get = (max: number): autocannon.Request => ({
    method: 'GET',
    headers,
    setupRequest: (request) => ({ ...request, path: scenarioPath(scenario, target, randomId(max)) }),
  });
  switch (scenario) {
    case 'film_by_id':
      return [get(FILMS)];
    case 'rental_includes':
      return [get(CUSTOMERS)];
    case 'film_list':
    case 'tasks_owner':
      return [{ method: 'GET', headers, path: scenarioPath(scenario, target) }];
    case 'auth_login':
      return [
        {
          method: 'POST',
          headers: json,
          path: scenarioPath(scenario, target),
          body: JSON.stringify(target.login),
        },
      ];
    case 'payment_write': {
      const create = scenarioPath(scenario, target);
      return [
        {
          method: 'POST',
          headers: json,
          path: create,
          setupRequest: (request) => ({ ...request, body: JSON.stringify(paymentBody()) }),
          onResponse: (status, body, context: ScenarioContext) => {
            context.id = status < 300 ? createdId(body) : undefined;
          },
        },
        {
          method: 'DELETE',
          headers,
          // No id (the create failed): skip the delete; autocannon counts it as a reset.
          setupRequest: (request, context: ScenarioContext) =>
            context.id === undefined
              ? (null as unknown as autocannon.Request)
              : { ...request, path: `${create}/${context.id}` },
        },
      ];
    }
  }
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether an answer to the probe (id 5) has the content the scenario is about, so that every
 * system is measured doing the same work (e.g. an include that is silently ignored would be
 * cheaper). null = it has; otherwise what is wrong.
 */
export const answerProblem = (scenario: ScenarioId, system: SystemName, json: unknown): string | null => {
  const data = isObject(json) ? json.data : undefined;
  const rows = Array.isArray(data) ? (data as unknown[]) : null;
  switch (scenario) {
    case 'film_by_id':
      return isObject(data) && data.film_id === 5 ? null : 'the answer is not film 5';
    case 'film_list':
      return rows?.length === 50 ? null : `expected 50 films, got ${rows?.length ?? 'no list'}`;
    case 'tasks_owner':
      return rows?.length === 20 ? null : `expected 20 tasks, got ${rows?.length ?? 'no list'}`;
    case 'rental_includes': {
      const [customer, inventory] =
        system === 'directus' ? ['customer_id', 'inventory_id'] : ['customer', 'inventory'];
      const first = rows?.[0];
      if (rows === null || rows.length !== 20) return `expected 20 rentals, got ${rows?.length ?? 'no list'}`;
      if (!isObject(first) || !isObject(first[customer]) || first[customer].customer_id !== 5)
        return `rentals come without their ${customer} object`;
      return isObject(first[inventory]) ? null : `rentals come without their ${inventory} object`;
    }
    case 'auth_login':
      return isObject(data) && typeof data.token === 'string' ? null : 'the answer carries no token';
    case 'payment_write':
      return null;
  }
};
