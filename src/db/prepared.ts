// Prepared statements for the queries every cart view and checkout runs. Drizzle builds a
// query's SQL text on every call (a fifth of the web process's CPU per order in the checkout
// profile, see BENCHMARKS.md); a prepared query is built once per database handle, and
// PostgreSQL parses and plans a named statement once per connection. Drizzle binds a prepared
// query to one session, so on a transaction it is prepared again on the transaction's
// connection: PostgreSQL still skips parsing it, Drizzle does not skip building it.
// Only for queries of one fixed shape (no lists of varying length): one name, one SQL text.
import { is } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Conn, Db } from './client.ts';

export function prepared<Q>(name: string, build: (conn: Conn) => { prepare(name: string): Q }): (conn: Conn) => Q {
  const built = new WeakMap<Db, Q>();
  return (conn) => {
    if (is(conn, PgTransaction)) return build(conn).prepare(name);
    let q = built.get(conn as Db);
    if (!q) built.set(conn as Db, (q = build(conn).prepare(name)));
    return q;
  };
}
