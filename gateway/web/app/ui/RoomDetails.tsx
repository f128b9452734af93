// A group room's details: rename it and open or close it (owner and admins), its members with role
// and online state, adding people, removing them and setting roles (as the roles allow), leaving.
import { useEffect, useState } from 'preact/hooks';
import { conversation, members, loadMembers, online, me, updateRoom, leaveRoom, kickMember, setRole, inviteToRoom, canManage } from '../store/mod.ts';
import { Dialog, Confirm } from './Dialog.tsx';
import { Avatar, PresenceDot } from './Avatar.tsx';
import { PeoplePicker } from './PeoplePicker.tsx';

export function RoomDetails({ room, onClose }: { room: string; onClose: () => void }) {
  const c = conversation(room);
  const list = members.value.get(room) ?? [];
  const self = me.value?.id ?? 0;
  const myRole = list.find((m) => m.user.id === self)?.role ?? c?.role;
  const manager = myRole === 'owner' || myRole === 'admin';
  const [name, setName] = useState(c?.name ?? '');
  const [leaving, setLeaving] = useState(false);
  const [adding, setAdding] = useState<{ id: number; name: string }[]>([]);
  useEffect(() => void loadMembers(room), [room]);
  if (!c) return null;
  const order = { owner: 0, admin: 1, member: 2 } as const;
  const sorted = [...list].sort((a, b) => order[a.role] - order[b.role] || Number(online.value.get(b.user.id) ?? b.online) - Number(online.value.get(a.user.id) ?? a.online) || a.user.name.localeCompare(b.user.name));
  return (
    <Dialog title="Room details" onClose={onClose}>
      {manager ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const n = name.trim();
            if (n && n !== c.name) void updateRoom(room, { name: n });
          }}
        >
          <label class="field">
            <span>Name</span>
            <div class="inline-form">
              <input class="input" value={name} maxLength={80} onInput={(e) => setName(e.currentTarget.value)} data-testid="room-name" />
              <button type="submit" class="btn" disabled={!name.trim() || name.trim() === c.name}>Rename</button>
            </div>
          </label>
          <label class="check">
            <input type="checkbox" checked={c.open} onChange={(e) => void updateRoom(room, { open: e.currentTarget.checked })} />
            <span>Open room<small>Anyone can find it under Browse rooms and join. Otherwise people join when added.</small></span>
          </label>
        </form>
      ) : (
        <p><strong>{c.name}</strong><br /><span class="muted">{c.open ? 'Open room: anyone can join.' : 'Invitation only.'}</span></p>
      )}
      {manager ? (
        <>
          <div class="label">Add people</div>
          <PeoplePicker chosen={adding} onChange={setAdding} exclude={list.map((m) => m.user.id)} />
          {adding.length ? (
            <div class="dialog-foot">
              <button type="button" class="btn primary" onClick={async () => {
                for (const u of adding) await inviteToRoom(room, u.id);
                setAdding([]);
              }}>Add {adding.length === 1 ? adding[0].name : `${adding.length} people`}</button>
            </div>
          ) : null}
        </>
      ) : null}
      <div class="label">Members ({list.length})</div>
      <div data-testid="members">
        {sorted.map((m) => {
          const can = canManage(myRole, m.role, m.user.id);
          const on = online.value.get(m.user.id) ?? m.online;
          return (
            <div class="member" key={m.user.id} data-user={m.user.name} data-role={m.role}>
              <Avatar name={m.user.name} id={m.user.id} small />
              <span class="member-name">
                {m.user.name}{m.user.id === self ? ' (you)' : ''}
                <PresenceDot online={on} />
                {m.role !== 'member' ? <span class="role">{m.role}</span> : null}
              </span>
              <span class="member-actions">
                {can.roles ? (
                  m.role === 'admin'
                    ? <button type="button" class="btn small" onClick={() => void setRole(room, m.user.id, 'member')}>Remove admin</button>
                    : <button type="button" class="btn small" onClick={() => void setRole(room, m.user.id, 'admin')}>Make admin</button>
                ) : null}
                {can.kick ? <button type="button" class="btn small danger" onClick={() => void kickMember(room, m.user.id)}>Remove</button> : null}
              </span>
            </div>
          );
        })}
      </div>
      <div class="dialog-foot">
        <button type="button" class="btn danger" onClick={() => setLeaving(true)}>Leave room</button>
      </div>
      {leaving ? (
        <Confirm
          title="Leave this room?"
          text={myRole === 'owner' ? 'You own this room: it passes to the longest-standing admin or member.' : 'You can come back if it is open, or if someone adds you.'}
          action="Leave"
          onConfirm={() => void leaveRoom(room).then((ok) => ok && onClose())}
          onClose={() => setLeaving(false)}
        />
      ) : null}
    </Dialog>
  );
}
