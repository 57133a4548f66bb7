/**
 * The D1 index: streams, their label postings and chunk references, all keyed by tenant first so
 * every lookup is tenant-scoped by construction. Timestamps are milliseconds since the epoch.
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

export const streams = sqliteTable(
  'streams',
  {
    tenant: text().notNull(),
    fingerprint: text().notNull(),
    /** Canonical label string, `{a="b", c="d"}`, sorted by name. */
    labels: text().notNull(),
    /** Oldest entry time seen (ms), lowered when older entries arrive. */
    firstSeenMs: integer().notNull(),
    /** Newest entry time seen, rounded up to the hour so most pushes need no update. */
    lastSeenMs: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.fingerprint] })],
)

export const labelPostings = sqliteTable(
  'label_postings',
  {
    tenant: text().notNull(),
    name: text().notNull(),
    value: text().notNull(),
    fingerprint: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.name, t.value, t.fingerprint] })],
)

export const chunks = sqliteTable(
  'chunks',
  {
    tenant: text().notNull(),
    fingerprint: text().notNull(),
    /** R2 object key; several chunks share one key after compaction. */
    objectKey: text().notNull(),
    byteOffset: integer().notNull(),
    byteLength: integer().notNull(),
    minTsMs: integer().notNull(),
    maxTsMs: integer().notNull(),
    entries: integer().notNull(),
    rawBytes: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.fingerprint, t.objectKey, t.byteOffset] }),
    index('chunks_by_time').on(t.tenant, t.maxTsMs),
  ],
)

export type StreamRow = typeof streams.$inferSelect
export type NewStreamRow = typeof streams.$inferInsert
export type ChunkRow = typeof chunks.$inferSelect

/** Objects replaced by compaction, deleted from R2 once no running query can still read them. */
export const pendingDeletes = sqliteTable('pending_deletes', {
  objectKey: text().primaryKey(),
  deleteAfterMs: integer().notNull(),
})

/** API tokens: only the SHA-256 of each token is kept; `id` is the public part of the token. */
export const apiTokens = sqliteTable('api_tokens', {
  id: text().primaryKey(),
  hash: text().notNull(),
  /** The tenants the token may act for, `|`-separated as in a multi-tenant X-Scope-OrgID. */
  tenants: text().notNull(),
  /** Comma-separated scopes: push, query, rules. */
  scopes: text().notNull(),
  name: text().notNull(),
  createdMs: integer().notNull(),
})

export type ApiTokenRow = typeof apiTokens.$inferSelect

/**
 * Delete requests, one row per shard (a request with line filters is split into pieces of at
 * most its max_interval, as Loki's store keeps them); the list merges a request's shards.
 */
export const deleteRequests = sqliteTable(
  'delete_requests',
  {
    tenant: text().notNull(),
    requestId: text().notNull(),
    shard: integer().notNull(),
    query: text().notNull(),
    startMs: integer().notNull(),
    endMs: integer().notNull(),
    createdMs: integer().notNull(),
    /** When the compactor finished this shard; null while it is pending. */
    processedMs: integer(),
    /** The compactor's resume point within this shard: the last chunk reference it finished. */
    cursor: text(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.requestId, t.shard] })],
)

export type DeleteRequestRow = typeof deleteRequests.$inferSelect

/** Per-tenant overrides of limits, in Loki's runtime-config `overrides` shape (JSON of one tenant's block). */
export const tenantOverrides = sqliteTable('tenant_overrides', {
  tenant: text().primaryKey(),
  limits: text().notNull(),
  updatedMs: integer().notNull(),
})

/** Rule groups, one row per (tenant, namespace, group name); `body` is the group as JSON. */
export const ruleGroups = sqliteTable(
  'rule_groups',
  {
    tenant: text().notNull(),
    namespace: text().notNull(),
    name: text().notNull(),
    body: text().notNull(),
    updatedMs: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.namespace, t.name] })],
)

export type RuleGroupRow = typeof ruleGroups.$inferSelect
