// The query language shared by the panel and the CLI (docs/QUERY.md).
export * from './syntax';
export * from './evaluate';
export * from './facts';
export * from './context';
