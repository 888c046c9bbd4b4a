// Vite's inline worker import (the viewer bundles the log reader into its own script).
declare module '*?worker&inline' {
  const WorkerFactory: new () => Worker;
  export default WorkerFactory;
}
declare module '*.css';
