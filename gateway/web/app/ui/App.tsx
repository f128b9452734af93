// The whole client by connection phase: the sign-in form, or the signed-in shell (with the
// reconnect banner), and a dialog when a newer sign-in elsewhere took this session.
import { phase, me, useHere, leaveKicked } from '../store/mod.ts';
import { Login } from './Login.tsx';
import { Shell } from './Shell.tsx';
import { Notices } from './Notices.tsx';
import { Banner } from './Banner.tsx';
import { Dialog } from './Dialog.tsx';

function Kicked() {
  return (
    <Dialog title="Signed in somewhere else" onClose={() => void leaveKicked()}>
      <p data-testid="kicked">Your account was opened in another browser tab or window, so this one stopped. It will not reconnect by itself.</p>
      <div class="dialog-foot">
        <button type="button" class="btn" onClick={() => void leaveKicked()}>Close</button>
        <button type="button" class="btn primary" onClick={() => void useHere()}>Use here instead</button>
      </div>
    </Dialog>
  );
}

export function App({ iconUrl }: { iconUrl: string }) {
  const p = phase.value;
  let body;
  if (p === 'signedOut' || p === 'signingIn') body = <Login iconUrl={iconUrl} />;
  else if (p === 'resuming' && !me.value) body = <div class="shell"><Banner /><p class="boot">Connecting to Troupe…</p></div>;
  else body = <Shell />;
  return (
    <>
      {body}
      {p === 'kicked' ? <Kicked /> : null}
      <Notices />
    </>
  );
}
