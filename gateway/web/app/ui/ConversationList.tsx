// The conversations, newest first: name, last message, time and unread count, live.
import { useEffect, useState } from 'preact/hooks';
import { conversations, conversationsLoaded, currentRoom, me, nameOf, online } from '../store/mod.ts';
import { titleOf, shortWhen, directPeer, describeSystem } from '../state/mod.ts';
import { Avatar } from './Avatar.tsx';
import { goToRoom } from './nav.ts';

/** Now, refreshed every minute (for "Yesterday" and clock times). */
function useMinute(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function ConversationList() {
  const now = useMinute();
  const self = me.value?.id ?? 0;
  const list = conversations.value;
  if (!conversationsLoaded.value) return <p class="empty">Loading conversations…</p>;
  if (!list.length) return <p class="empty">No conversations yet. Find people under People, or create a room.</p>;
  return (
    <ul class="conv-list" aria-label="Conversations">
      {list.map((c) => {
        const title = titleOf(c, nameOf, self);
        const peer = c.kind === 'direct' ? directPeer(c.id, self) : null;
        const lastBy = c.lastFrom !== null && c.kind === 'group' && c.lastFrom !== 0 && !c.lastSystem ? `${c.lastFrom === self ? 'You' : nameOf(c.lastFrom)}: ` : '';
        return (
          <li key={c.id}>
            <button
              type="button"
              class={`conv${c.unread ? ' unread' : ''}`}
              aria-current={currentRoom.value === c.id ? 'true' : undefined}
              aria-label={`${title}${c.unread ? `, ${c.unread} unread` : ''}`}
              data-room={c.id}
              onClick={() => goToRoom(c.id)}
            >
              <Avatar name={title} id={peer ?? c.id} group={c.kind === 'group'} online={peer ? online.value.get(peer) : undefined} />
              <span class="conv-title">{title}</span>
              <span class="conv-time">{shortWhen(c.lastAt, now)}</span>
              <span class="conv-preview">{c.lastEvent ? describeSystem(c.lastEvent, nameOf) : c.lastPreview ? `${lastBy}${c.lastPreview}` : c.lastSeq === 0 ? 'Say hello' : ''}</span>
              {c.unread ? <span class="badge" data-testid="unread">{c.unread > 99 ? '99+' : c.unread}</span> : null}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export { useMinute };
