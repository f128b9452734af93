// The web client's components (Preact). App is the root.
export { App } from './App.tsx';
export { restoreFromHash, followHash } from './nav.ts';
