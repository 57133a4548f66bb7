/**
 * Rule groups in D1, every statement scoped by tenant. Groups are listed in namespace then name
 * order (byte order, as Loki's filesystem store lists them).
 */
import { and, asc, count, eq } from 'drizzle-orm'
import { dbFor } from '../db/client'
import { ruleGroups } from '../db/schema'
import type { NamespacedGroup, RuleGroup } from './rule-group'

export class RuleStore {
  constructor(
    private readonly d1: D1Database,
    private readonly tenant: string,
  ) {}

  private get db() {
    return dbFor(this.d1)
  }

  /** All groups, or one namespace's. */
  async list(namespace?: string): Promise<NamespacedGroup[]> {
    const where = namespace === undefined ? eq(ruleGroups.tenant, this.tenant) : and(eq(ruleGroups.tenant, this.tenant), eq(ruleGroups.namespace, namespace))
    const rows = await this.db.select().from(ruleGroups).where(where).orderBy(asc(ruleGroups.namespace), asc(ruleGroups.name))
    return rows.map((r) => ({ namespace: r.namespace, group: JSON.parse(r.body) as RuleGroup }))
  }

  async get(namespace: string, name: string): Promise<RuleGroup | null> {
    const rows = await this.db
      .select({ body: ruleGroups.body })
      .from(ruleGroups)
      .where(and(eq(ruleGroups.tenant, this.tenant), eq(ruleGroups.namespace, namespace), eq(ruleGroups.name, name)))
    const row = rows[0]
    return row ? (JSON.parse(row.body) as RuleGroup) : null
  }

  async countGroups(): Promise<number> {
    const rows = await this.db.select({ n: count() }).from(ruleGroups).where(eq(ruleGroups.tenant, this.tenant))
    return rows[0]?.n ?? 0
  }

  async put(namespace: string, group: RuleGroup, nowMs: number): Promise<void> {
    const body = JSON.stringify(group)
    await this.db
      .insert(ruleGroups)
      .values({ tenant: this.tenant, namespace, name: group.name, body, updatedMs: nowMs })
      .onConflictDoUpdate({ target: [ruleGroups.tenant, ruleGroups.namespace, ruleGroups.name], set: { body, updatedMs: nowMs } })
  }

  async deleteGroup(namespace: string, name: string): Promise<void> {
    await this.db.delete(ruleGroups).where(and(eq(ruleGroups.tenant, this.tenant), eq(ruleGroups.namespace, namespace), eq(ruleGroups.name, name)))
  }

  /** Deletes a namespace's groups; false when it held none. */
  async deleteNamespace(namespace: string): Promise<boolean> {
    const deleted = await this.db
      .delete(ruleGroups)
      .where(and(eq(ruleGroups.tenant, this.tenant), eq(ruleGroups.namespace, namespace)))
      .returning({ name: ruleGroups.name })
    return deleted.length > 0
  }
}
