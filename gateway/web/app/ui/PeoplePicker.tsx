// Choosing people (for a new room, or to add to one): friends offered first, anyone by name.
import { useEffect, useState } from 'preact/hooks';
import { people, findUsers } from '../store/mod.ts';
import type { UserRef } from '../state/mod.ts';
import { Avatar } from './Avatar.tsx';
import { IconClose } from './icons.tsx';

export function PeoplePicker(props: { chosen: UserRef[]; onChange: (users: UserRef[]) => void; exclude?: number[] }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<UserRef[]>([]);
  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setFound([]);
      return;
    }
    let live = true;
    const t = setTimeout(() => void findUsers(q).then((u) => live && setFound(u), () => {}), 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query]);
  const taken = new Set([...(props.exclude ?? []), ...props.chosen.map((u) => u.id)]);
  const friends = people.value.filter((p) => p.status === 'friend').map((p) => p.user);
  const offer = (query.trim() ? found : friends).filter((u) => !taken.has(u.id)).slice(0, 20);
  return (
    <div>
      {props.chosen.length ? (
        <div class="chips">
          {props.chosen.map((u) => (
            <span class="chip" key={u.id}>
              {u.name}
              <button type="button" class="icon-btn" aria-label={`Remove ${u.name}`} onClick={() => props.onChange(props.chosen.filter((x) => x.id !== u.id))}><IconClose /></button>
            </span>
          ))}
        </div>
      ) : null}
      <label class="visually-hidden" for="pick-people">Find people to add</label>
      <input id="pick-people" class="input" type="search" placeholder={friends.length ? 'Type a name, or pick a friend below' : 'Type a name'} value={query} onInput={(e) => setQuery(e.currentTarget.value)} maxLength={32} />
      {offer.length ? (
        <ul class="pick-list" aria-label="People">
          {offer.map((u) => (
            <li key={u.id}>
              <button type="button" class="pick" data-user={u.name} onClick={() => { props.onChange([...props.chosen, u]); setQuery(''); }}>
                <Avatar name={u.name} id={u.id} small /> {u.name}
              </button>
            </li>
          ))}
        </ul>
      ) : query.trim() ? <p class="faint">Nobody by that name.</p> : null}
    </div>
  );
}
