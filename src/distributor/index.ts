/**
 * The distributor's pure write-path API: decode a push body, then validate, enrich and group it
 * by stream. Nothing here touches bindings; the HTTP route and the ingester call these.
 */

export { decodePushBody, mediaType, type DecodeOptions, type PushHeaders } from './decode'
export { distribute, normalizeMetadataName, UNKNOWN_SERVICE } from './distribute'
export { PushError } from './errors'
export { canonicalLabels, fingerprint, LabelParseError, parseLabels } from './labels'
export { detectLevel, DETECTED_LEVEL } from './level-detection'
export {
  DEFAULT_DISCOVER_SERVICE_NAME,
  DEFAULT_LOG_LEVEL_FIELDS,
  DEFAULT_PUSH_BODY_LIMITS,
  DEFAULT_VALIDATION_LIMITS,
  type PushBodyLimits,
  type ValidationLimits,
} from './limits'
export type * from './types'
