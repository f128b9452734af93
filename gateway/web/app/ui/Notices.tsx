// Toasts: errors and news (friend requests, being removed from a room).
import { notices, dismiss } from '../store/mod.ts';
import { IconClose } from './icons.tsx';

export function Notices() {
  return (
    <div class="notices" role="log" aria-live="polite">
      {notices.value.map((n) => (
        <div key={n.id} class={`toast ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button type="button" class="icon-btn" aria-label="Dismiss" onClick={() => dismiss(n.id)}><IconClose /></button>
        </div>
      ))}
    </div>
  );
}
