// The web client's entry: restore where the user was (the address's hash), mount the app, and
// resume the session kept in this tab if there is one.
//
// UI library: Preact with @preact/signals. Preact is a small (about 5 KB compressed), well-kept
// implementation of the React component model; signals let stores outside components hold state
// that re-renders exactly the components that read it, without a context tree or a reducer
// library. The whole bundle stays far under its 150 KiB budget (npm run bench -- web).
import { render } from 'preact';
import { App, restoreFromHash, followHash } from './ui/mod.ts';
import { resumeStored } from './store/mod.ts';

const root = document.getElementById('app')!;
const iconUrl = document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? '';
restoreFromHash();
window.addEventListener('hashchange', followHash);
root.textContent = '';
render(<App iconUrl={iconUrl} />, root);
void resumeStored();
