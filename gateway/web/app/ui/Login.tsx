// Sign in or create an account. Errors say what went wrong in words (taken name, short password,
// wrong password, too many attempts).
import { useState } from 'preact/hooks';
import { signIn, phase, connection } from '../store/mod.ts';

export function Login(props: { iconUrl: string }) {
  const [registering, setRegistering] = useState(false);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const busy = phase.value === 'signingIn';
  const { error, notice } = connection.value;
  const submit = (e: Event) => {
    e.preventDefault();
    if (!busy) void signIn(name.trim(), password, registering);
  };
  return (
    <main class="login">
      <div class="login-card">
        <div class="brand"><img src={props.iconUrl} alt="" /> Troupe</div>
        <h1>{registering ? 'Create your account' : 'Sign in'}</h1>
        <p class="sub">{registering ? 'Pick a name people will find you by.' : 'Chat, rooms and files, right here.'}</p>
        {notice ? <div class="notice" role="status">{notice}</div> : null}
        <form onSubmit={submit} noValidate>
          <label class="field">
            <span>Name</span>
            <input class="input" name="name" autocomplete="username" autoFocus value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={32} required />
          </label>
          <label class="field">
            <span>Password</span>
            <input class="input" name="password" type="password" autocomplete={registering ? 'new-password' : 'current-password'} value={password} onInput={(e) => setPassword(e.currentTarget.value)} maxLength={128} required />
            {registering ? <small class="muted">At least 8 characters.</small> : null}
          </label>
          {error ? <p class="error-text" role="alert">{error}</p> : null}
          <button class="btn primary" type="submit" disabled={busy}>{busy ? 'One moment…' : registering ? 'Create account' : 'Sign in'}</button>
        </form>
        <p class="switch-mode">
          {registering ? 'Have an account? ' : 'New here? '}
          <button type="button" class="link-btn" onClick={() => setRegistering(!registering)}>{registering ? 'Sign in' : 'Create an account'}</button>
        </p>
      </div>
    </main>
  );
}
