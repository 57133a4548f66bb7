/**
 * Loki's per-tenant `deletion_mode` (pkg/compactor/deletionmode): `disabled` refuses the delete
 * API with 403; `filter-only` accepts requests and filters their lines from query results but
 * never rewrites stored data; `filter-and-delete` also lets the compactor remove the lines.
 */
import { SettingsError } from '../config/settings'

export type DeletionMode = 'disabled' | 'filter-only' | 'filter-and-delete'

const MODES: readonly DeletionMode[] = ['disabled', 'filter-only', 'filter-and-delete']

export function parseDeletionMode(raw: string): DeletionMode {
  const mode = MODES.find((m) => m === raw)
  if (!mode) throw new SettingsError(`unknown deletion mode: must be one of ${MODES.join('|')}`)
  return mode
}
