/**
 * One compactor pass (POST /compactor/run and the cron trigger): delete requests due for
 * execution, then retention, then compaction of the small chunks those left behind. Each part
 * is bounded per pass and resumes on the next.
 */
import type { Env } from '../env'
import { settingsFor } from '../config/settings'
import { runCompaction, type CompactionReport } from './compact'
import { runDeletes, type DeleteRunReport } from './delete-execution'
import { runRetention, type RetentionReport } from './retention'

export interface CompactorReport extends CompactionReport {
  readonly deletes: DeleteRunReport | null
  readonly retention: RetentionReport | null
}

export async function runCompactor(env: Env, nowMs: number): Promise<CompactorReport> {
  const enabled = settingsFor(env).bool('retention_enabled')
  const deletes = enabled ? await runDeletes(env, nowMs) : null
  const retention = enabled ? await runRetention(env, nowMs) : null
  const compaction = await runCompaction(env, nowMs)
  return { ...compaction, deletes, retention }
}
