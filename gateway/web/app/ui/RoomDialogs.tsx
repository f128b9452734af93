// Creating a room, and finding open rooms to join.
import { useEffect, useState } from 'preact/hooks';
import { createRoom, discoverRooms, joinRoom, conversations } from '../store/mod.ts';
import type { RoomSummary, UserRef } from '../state/mod.ts';
import { Dialog } from './Dialog.tsx';
import { PeoplePicker } from './PeoplePicker.tsx';
import { Avatar } from './Avatar.tsx';
import { view } from './nav.ts';

export function NewRoomDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<UserRef[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title="New room" onClose={onClose}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (!name.trim() || busy) return;
          setBusy(true);
          const room = await createRoom(name, open, chosen.map((u) => u.id));
          setBusy(false);
          if (room) {
            view.value = 'chats';
            onClose();
          }
        }}
      >
        <label class="field">
          <span>Name</span>
          <input class="input" value={name} maxLength={80} required autoFocus onInput={(e) => setName(e.currentTarget.value)} placeholder="Project, Family, Book club…" data-testid="new-room-name" />
        </label>
        <label class="check">
          <input type="checkbox" checked={open} onChange={(e) => setOpen(e.currentTarget.checked)} />
          <span>Open room<small>Anyone can find and join it. Otherwise it is invitation only.</small></span>
        </label>
        <div class="label">People</div>
        <PeoplePicker chosen={chosen} onChange={setChosen} />
        <div class="dialog-foot">
          <button type="button" class="btn" onClick={onClose}>Cancel</button>
          <button type="submit" class="btn primary" disabled={!name.trim() || busy}>Create room</button>
        </div>
      </form>
    </Dialog>
  );
}

export function DiscoverDialog({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => void discoverRooms(query).then((r) => live && setRooms(r)), 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query]);
  const mine = new Set(conversations.value.map((c) => c.id));
  return (
    <Dialog title="Browse open rooms" onClose={onClose}>
      <label class="visually-hidden" for="discover-query">Room name starts with</label>
      <input id="discover-query" class="input" type="search" placeholder="Room name" value={query} autoFocus onInput={(e) => setQuery(e.currentTarget.value)} maxLength={80} />
      {rooms === null ? <p class="faint">Looking…</p> : !rooms.length ? <p class="faint">No open rooms{query.trim() ? ' by that name' : ''}.</p> : (
        <div>
          {rooms.map((r) => (
            <div class="room-card" key={r.id} data-room={r.id}>
              <Avatar name={r.name} id={r.id} group small />
              <div><strong>{r.name}</strong><small>{r.members} member{r.members === 1 ? '' : 's'}{r.description ? ` · ${r.description}` : ''}</small></div>
              {mine.has(r.id) ? <span class="faint">Joined</span> : <button type="button" class="btn small primary" onClick={() => void joinRoom(r.id).then((ok) => { if (ok) { view.value = 'chats'; onClose(); } })}>Join</button>}
            </div>
          ))}
        </div>
      )}
    </Dialog>
  );
}
