/**
 * The drizzle client over D1, with every statement metered (queries, rows read and written) for
 * the cost counters. Selects that drizzle runs in array mode report no meta; for those the rows
 * returned stand in for rows read.
 */
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1'
import * as schema from './schema'
import { d1Queries, d1RowsRead, recordD1 } from '../metrics/meters'

export type Db = DrizzleD1Database<typeof schema>

class MeteredStatement {
  constructor(readonly inner: D1PreparedStatement) {}

  bind(...values: unknown[]): MeteredStatement {
    return new MeteredStatement(this.inner.bind(...values))
  }

  async first<T>(col?: string): Promise<T | null> {
    d1Queries(1)
    return col === undefined ? this.inner.first<T>() : this.inner.first<T>(col)
  }

  async run<T>(): Promise<D1Result<T>> {
    const r = await this.inner.run<T>()
    recordD1([r])
    return r
  }

  async all<T>(): Promise<D1Result<T>> {
    const r = await this.inner.all<T>()
    recordD1([r])
    return r
  }

  async raw<T extends unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    const rows =
      options?.columnNames === true
        ? ((await this.inner.raw<T>({ columnNames: true })) as unknown as T[])
        : await this.inner.raw<T>()
    d1Queries(1)
    d1RowsRead(rows.length)
    return rows
  }
}

class MeteredDatabase {
  constructor(private readonly inner: D1Database) {}

  prepare(query: string): MeteredStatement {
    return new MeteredStatement(this.inner.prepare(query))
  }

  async batch<T>(statements: MeteredStatement[]): Promise<D1Result<T>[]> {
    const results = await this.inner.batch<T>(statements.map((s) => s.inner))
    recordD1(results)
    return results
  }

  async exec(query: string): Promise<D1ExecResult> {
    d1Queries(1)
    return this.inner.exec(query)
  }

  withSession(): never {
    throw new Error('sessions are not used')
  }

  dump(): never {
    throw new Error('dump is not used')
  }
}

const clients = new WeakMap<D1Database, Db>()

/** One drizzle client per D1 binding. */
export function dbFor(d1: D1Database): Db {
  let db = clients.get(d1)
  if (!db) {
    db = drizzle(new MeteredDatabase(d1) as unknown as D1Database, { schema, casing: 'snake_case' })
    clients.set(d1, db)
  }
  return db
}
