/**
 * The floor of the webhook figure: a bare `node:http` server that, per request, reads the
 * JSON body and inserts the rows it names (`{ cases: [...], case_events: [...], outbox:
 * [...] }`, the very rows CareBridge wrote for one event) in one transaction, with
 * better-sqlite3 prepared statements, on the same kind of database (migrated, WAL,
 * synchronous NORMAL); no token, no validation, no framework. Started by app-process.ts
 * with PORT and DATABASE_PATH in its environment; ready when GET / answers.
 */
import { createServer } from 'node:http';
import { openDatabase } from '../../src/store/db';

type Row = Record<string, unknown>;

/** What the floor uses of better-sqlite3's connection. */
interface Statement {
  run(...values: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): Statement;
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
}

// better-sqlite3's connection as CareBridge opens it (same pragmas), held for good; knex is not used past this.
const database = openDatabase(`sqlite:${process.env.DATABASE_PATH!}`);
const db = (await database.knex.client.acquireConnection()) as SqliteConnection;

const statements = new Map<string, Statement>();
function insertStatement(table: string, columns: string[]): Statement {
  const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}

const insertAll = db.transaction((tables: Record<string, Row[]>) => {
  for (const [table, rows] of Object.entries(tables)) {
    for (const row of rows) {
      const columns = Object.keys(row);
      insertStatement(table, columns).run(columns.map((c) => (typeof row[c] === 'boolean' ? Number(row[c]) : (row[c] ?? null))));
    }
  }
});

createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(200).end('bare intake floor');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      const tables = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, Row[]>;
      insertAll(tables);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ caseId: tables.cases?.[0]?.id ?? null }));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (error as Error).message }));
    }
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
