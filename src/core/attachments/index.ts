// Attachment conversion status: the public API.
export { STATUS_LABELS, classifyTransition, humanSize, parseStatus, sameStatus, type ConvertStatus, type TransitionKind } from './status';
export {
  AttachmentTracker,
  DEFAULT_TRACKER_LIMITS,
  timeOf,
  type AttachmentFile,
  type Failure,
  type FileDrops,
  type Metadata,
  type OutOfOrder,
  type Retry,
  type Seen,
  type StatusTime,
  type TimelineEntry,
  type TopicFiles,
  type TrackerLimits,
  type Transition,
} from './tracker';
export { DEFAULT_STUCK_AFTER_MS, badgeFor, convertStartSkew, humanDuration, problemsOf, sameBadge, timeInStatus, type Badge, type Problem, type ProblemOptions } from './problems';
