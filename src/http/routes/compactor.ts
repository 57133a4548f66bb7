/**
 * Runs the compactor on demand (the cron trigger runs it on a schedule): executes due delete
 * requests, merges small chunks and deletes replaced objects whose grace period is over.
 * Answers with what it did.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { runCompactor } from '../../compactor/run'
import { jsonResponse } from '../json'

export const compactorRoutes = new Hono<AppEnv>()

compactorRoutes.post('/compactor/run', async (c) => jsonResponse(await runCompactor(c.env, Date.now())))
