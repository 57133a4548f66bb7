/** The tenant's Ruler object. */
import type { Env } from '../env'
import type { Ruler } from './ruler'

export function rulerFor(env: Env, tenant: string): DurableObjectStub<Ruler> {
  return env.RULER.get(env.RULER.idFromName(tenant))
}
