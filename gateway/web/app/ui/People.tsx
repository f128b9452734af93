// People: find users, friend requests (send, accept, decline), friends with live presence, blocks.
import { useEffect, useState } from 'preact/hooks';
import { people, findUsers, friendAction, openDirect, online } from '../store/mod.ts';
import { statusOf, type UserRef, type Person } from '../state/mod.ts';
import { Avatar } from './Avatar.tsx';
import { view } from './nav.ts';

function message(user: UserRef): void {
  view.value = 'chats';
  openDirect(user);
}

function Actions({ user, status }: { user: UserRef; status: Person['status'] }) {
  switch (status) {
    case 'incoming':
      return (
        <>
          <button type="button" class="btn small primary" onClick={() => void friendAction('friends.accept', user)}>Accept</button>
          <button type="button" class="btn small" onClick={() => void friendAction('friends.decline', user)}>Decline</button>
        </>
      );
    case 'friend':
      return (
        <>
          <button type="button" class="btn small" onClick={() => message(user)}>Message</button>
          <button type="button" class="btn small ghost" onClick={() => void friendAction('friends.remove', user)}>Unfriend</button>
          <button type="button" class="btn small ghost danger" onClick={() => void friendAction('friends.block', user)}>Block</button>
        </>
      );
    case 'outgoing':
      return (
        <>
          <button type="button" class="btn small" onClick={() => message(user)}>Message</button>
          <button type="button" class="btn small ghost" onClick={() => void friendAction('friends.decline', user)}>Cancel request</button>
        </>
      );
    case 'blocked':
      return <button type="button" class="btn small" onClick={() => void friendAction('friends.unblock', user)}>Unblock</button>;
    default:
      return (
        <>
          <button type="button" class="btn small primary" onClick={() => void friendAction('friends.request', user)}>Add friend</button>
          <button type="button" class="btn small" onClick={() => message(user)}>Message</button>
          <button type="button" class="btn small ghost danger" onClick={() => void friendAction('friends.block', user)}>Block</button>
        </>
      );
  }
}

const STATUS_TEXT: Record<Person['status'], string> = { incoming: 'wants to be friends', outgoing: 'request sent', friend: '', blocked: 'blocked', none: '' };

function PersonRow({ user, status }: { user: UserRef; status: Person['status'] }) {
  const on = online.value.get(user.id) ?? false;
  const detail = status === 'friend' ? (on ? 'online' : 'offline') : STATUS_TEXT[status];
  return (
    <li class="person" data-user={user.name}>
      <Avatar name={user.name} id={user.id} online={status === 'friend' ? on : undefined} small />
      <span class="person-name">{user.name}{detail ? <small>{detail}</small> : null}</span>
      <span class="person-actions"><Actions user={user} status={status} /></span>
    </li>
  );
}

export function PeoplePanel() {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<UserRef[] | null>(null);
  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setFound(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => void findUsers(q).then((u) => live && setFound(u), () => live && setFound([])), 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query]);
  const list = people.value;
  const groups: [string, Person[]][] = [
    ['Friend requests', list.filter((p) => p.status === 'incoming')],
    ['Friends', list.filter((p) => p.status === 'friend')],
    ['Sent requests', list.filter((p) => p.status === 'outgoing')],
    ['Blocked', list.filter((p) => p.status === 'blocked')],
  ];
  return (
    <>
      <div class="search">
        <label class="visually-hidden" for="people-search">Find people by name</label>
        <input id="people-search" class="input" type="search" placeholder="Find people by name" value={query} onInput={(e) => setQuery(e.currentTarget.value)} maxLength={32} />
      </div>
      <div class="side-scroll">
        {found !== null ? (
          <>
            <div class="section-title">Search results</div>
            {found.length ? <ul class="conv-list">{found.map((u) => <PersonRow key={u.id} user={u} status={statusOf(list, u.id)} />)}</ul> : <p class="empty">Nobody by that name.</p>}
          </>
        ) : null}
        {groups.map(([title, items]) => (items.length ? (
          <section key={title} aria-label={title}>
            <div class="section-title">{title}</div>
            <ul class="conv-list">{items.map((p) => <PersonRow key={p.user.id} user={p.user} status={p.status} />)}</ul>
          </section>
        ) : null))}
        {found === null && !list.length ? <p class="empty">No friends yet. Search for people by name above.</p> : null}
      </div>
    </>
  );
}
