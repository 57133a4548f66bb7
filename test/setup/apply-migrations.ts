import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

// Safe to run before every test file: applied migrations are recorded and skipped.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
