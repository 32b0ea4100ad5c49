// Stylesheets the metrics page imports for esbuild to bundle into dist/metrics.css.
declare module '*.css';
