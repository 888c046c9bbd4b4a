// Event logs: format, validation, writing, reading (our logs and Chrome HAR), anonymizing, summaries.
export * from './format';
export { checkEvent, checkHeader } from './schema';
export { Anonymizer } from './anonymize';
export { logFileName, logHeader, redactEvent, writeEvents, writeLog, type ExportMeta, type ExportOptions, type LogLayout } from './write';
export { LogReader, issueText, issueWhere, MAX_DOCUMENT_CHARS, MAX_LINE_CHARS, type ReadIssue, type ReadLayout, type ReadResult, type ReadSink, type ReaderOptions } from './reader';
export { isHar, readHar } from './har';
export { Summarizer, summaryText, type LogSummary } from './summary';
