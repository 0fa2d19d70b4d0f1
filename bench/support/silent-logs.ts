// Imported first by a benchmark whose imports load the functions' logger (shared/logging/logger.ts reads LOG_LEVEL
// once, when it loads): the handlers' log lines would otherwise interleave with the figures.
process.env.LOG_LEVEL = 'SILENT';
