// The ceiling: what bare Node can do on this machine for bench scenarios 1–4. node:http and a
// mysql2 pool, no framework, no auth, the same JSON envelope and the same SQL as a lean
// implementation of SOGOMS's API would run (scenario 3 as one join). Not part of SOGOMS.
//   node bench/ceiling-server.mjs --database sogoms_bench_sakila [--port 0] [--pool-size 10]
// Prints `listening <port>` once ready. GET /_stats answers {queries} (statements run so far).
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { URLSearchParams } from 'node:url';
import { createPool } from 'mysql2/promise';

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
};
const url = new URL(process.env.SOGOMS_BENCH_DB_URL ?? 'mysql://root@127.0.0.1:3306');
const pool = createPool({
  host: url.hostname,
  port: Number(url.port || 3306),
  user: decodeURIComponent(url.username || 'root'),
  password: decodeURIComponent(url.password),
  database: option('database', 'sogoms_bench_sakila'),
  connectionLimit: Number(option('pool-size', '10')),
  timezone: 'Z',
});
let queries = 0;
const query = async (sql, params, nestTables = false) => {
  queries += 1;
  const [rows] = await pool.query({ sql, nestTables }, params);
  return rows;
};

const send = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};
const notFound = (res) =>
  send(res, 404, { success: false, error: { code: 'NOT_FOUND', message: 'Not found' } });
const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });

// SOGOMS sends a SET as an array of strings: shape the film rows the same way.
const filmRow = (row) => ({
  ...row,
  special_features: row.special_features === null ? null : String(row.special_features).split(','),
});
const limitOf = (params, fallback) =>
  Math.min(Math.max(Number(params.get('limit') ?? fallback) || fallback, 1), 500);

const routes = {
  async filmById(res, id) {
    const rows = await query('SELECT * FROM `film` WHERE `film_id` = ?', [id]);
    if (rows.length === 0) return notFound(res);
    send(res, 200, { success: true, data: filmRow(rows[0]) });
  },
  // The total rides on the page as an uncorrelated subquery: one statement, as SOGOMS does it.
  async filmList(res, params) {
    const limit = limitOf(params, 50);
    const rows = await query(
      'SELECT `film`.*, (SELECT COUNT(*) FROM `film`) AS `total` FROM `film` ORDER BY `film_id` LIMIT ? OFFSET ?',
      [limit, 0],
    );
    const total = rows.length > 0 ? rows[0].total : 0;
    const data = rows.map(({ total: _, ...row }) => filmRow(row));
    send(res, 200, { success: true, data, meta: { total, limit, offset: 0 } });
  },
  async rentalList(res, params) {
    const limit = limitOf(params, 50);
    const customer = Number(params.get('filter[customer_id]'));
    const rows = await query(
      'SELECT `r`.*, `c`.*, `i`.*, (SELECT COUNT(*) FROM `rental` WHERE `customer_id` = ?) AS `total` ' +
        'FROM `rental` `r` JOIN `customer` `c` ON `c`.`customer_id` = `r`.`customer_id` ' +
        'JOIN `inventory` `i` ON `i`.`inventory_id` = `r`.`inventory_id` ' +
        'WHERE `r`.`customer_id` = ? ORDER BY `r`.`rental_id` LIMIT ? OFFSET ?',
      [customer, customer, limit, 0],
      true,
    );
    const total = rows.length > 0 ? rows[0][''].total : 0;
    const data = rows.map((row) => ({ ...row.r, customer: row.c, inventory: row.i }));
    send(res, 200, { success: true, data, meta: { total, limit, offset: 0 } });
  },
  async paymentCreate(req, res) {
    const body = await readBody(req);
    const result = await query(
      'INSERT INTO `payment` (`customer_id`, `staff_id`, `rental_id`, `amount`, `payment_date`) VALUES (?, ?, ?, ?, ?)',
      [body.customer_id, body.staff_id, body.rental_id ?? null, body.amount, new Date(body.payment_date)],
    );
    const rows = await query('SELECT * FROM `payment` WHERE `payment_id` = ?', [result.insertId]);
    send(res, 201, { success: true, data: rows[0] });
  },
  async paymentDelete(res, id) {
    const result = await query('DELETE FROM `payment` WHERE `payment_id` = ?', [id]);
    if (result.affectedRows === 0) return notFound(res);
    send(res, 200, { success: true, data: { payment_id: id } });
  },
};

const handle = async (req, res) => {
  const [path, search] = (req.url ?? '/').split('?');
  const params = new URLSearchParams(search ?? '');
  const parts = path.split('/').filter((part) => part !== '');
  if (parts[0] === '_stats') return send(res, 200, { success: true, data: { queries } });
  if (parts[0] !== 'api') return notFound(res);
  const [, table, id] = parts;
  if (req.method === 'GET' && table === 'film' && id !== undefined) return routes.filmById(res, Number(id));
  if (req.method === 'GET' && table === 'film') return routes.filmList(res, params);
  if (req.method === 'GET' && table === 'rental' && id === undefined) return routes.rentalList(res, params);
  if (req.method === 'POST' && table === 'payment' && id === undefined) return routes.paymentCreate(req, res);
  if (req.method === 'DELETE' && table === 'payment' && id !== undefined)
    return routes.paymentDelete(res, Number(id));
  notFound(res);
};

const server = createServer((req, res) => {
  handle(req, res).catch(() => {
    if (!res.headersSent)
      send(res, 500, { success: false, error: { code: 'INTERNAL', message: 'Internal error' } });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(option('port', '0')), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
const shutdown = () => server.close(() => pool.end().finally(() => process.exit(0)));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
