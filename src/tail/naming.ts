/**
 * The single mapping from a tenant to its Tailer object.
 */
import type { Env } from '../env'

export function tailerFor(env: Env, tenant: string) {
  return env.TAILER.get(env.TAILER.idFromName(tenant))
}
