// The connection banner: offline and reconnecting (with the next attempt's countdown and a way
// to try now), or resuming a session after a reload.
import { useEffect, useState } from 'preact/hooks';
import { phase, connection, retryNow } from '../store/mod.ts';

export function Banner() {
  const p = phase.value;
  const { attempt, delayMs } = connection.value;
  const [, tick] = useState(0);
  useEffect(() => {
    if (p !== 'reconnecting' && p !== 'resuming') return;
    const t = setInterval(() => tick((x) => x + 1), 1000);
    return () => clearInterval(t);
  }, [p]);
  if (p !== 'reconnecting' && p !== 'resuming') return null;
  const seconds = Math.max(1, Math.round(delayMs / 1000));
  return (
    <div class={`banner${attempt > 3 ? ' bad' : ''}`} role="status" aria-live="polite" data-testid="connection-banner">
      <strong>{p === 'resuming' ? 'Connecting…' : 'Offline.'}</strong>
      <span>{attempt > 0 ? `Reconnecting (attempt ${attempt}, next in about ${seconds} s). Messages you send now go out when it is back.` : 'Reconnecting…'}</span>
      {p === 'reconnecting' ? <button type="button" class="btn small" onClick={retryNow}>Try now</button> : null}
    </div>
  );
}
