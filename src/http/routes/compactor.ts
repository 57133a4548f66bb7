/**
 * Runs the compactor on demand (the cron trigger runs it on a schedule): merges small chunks
 * and deletes replaced objects whose grace period is over. Answers with what it did.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { runCompaction } from '../../compactor/compact'
import { jsonResponse } from '../json'

export const compactorRoutes = new Hono<AppEnv>()

compactorRoutes.post('/compactor/run', async (c) => jsonResponse(await runCompaction(c.env, Date.now())))
