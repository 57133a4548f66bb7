/** The ruler's counters, named as Prometheus' rule manager and notifier name them. */
import { counter } from '../metrics/registry'

export const ruleEvaluations = counter('prometheus_rule_evaluations_total', 'The total number of rule evaluations.')
export const ruleEvaluationFailures = counter('prometheus_rule_evaluation_failures_total', 'The total number of rule evaluation failures.')
export const ruleEvaluationSeconds = counter('loki_ruler_rule_evaluation_seconds_total', 'Seconds spent evaluating rules.')
export const groupIterations = counter('prometheus_rule_group_iterations_total', 'The total number of scheduled rule group evaluations.')
export const groupIterationsMissed = counter('prometheus_rule_group_iterations_missed_total', 'The total number of rule group evaluations missed due to slow rule group evaluation.')
export const notificationsSent = counter('prometheus_notifications_sent_total', 'Total number of alerts sent.')
export const notificationsErrors = counter('prometheus_notifications_errors_total', 'Total number of sent alerts affected by errors.')
export const remoteWriteRequests = counter('loki_ruler_remote_write_requests_total', 'Remote-write requests of recording-rule samples delivered.')
export const remoteWriteFailures = counter('loki_ruler_remote_write_failures_total', 'Remote-write requests that failed after their retries.')
