// An open conversation: its header (name, members or presence, details), the messages, who is
// typing, and the composer.
import { useState } from 'preact/hooks';
import { conversation, titleOfRoom, typing, me, nameOf, online, openConversation, openWatch } from '../store/mod.ts';
import { directPeer } from '../state/mod.ts';
import { MessageList } from './MessageList.tsx';
import { Composer } from './Composer.tsx';
import { RoomDetails } from './RoomDetails.tsx';
import { Avatar } from './Avatar.tsx';
import { IconBack, IconInfo, IconFilm } from './icons.tsx';

function TypingLine({ room }: { room: string }) {
  const who = [...(typing.value.get(room)?.keys() ?? [])].map(nameOf);
  const text = !who.length ? '' : who.length === 1 ? `${who[0]} is typing…` : who.length === 2 ? `${who[0]} and ${who[1]} are typing…` : 'Several people are typing…';
  return <div class="typing" aria-live="polite" data-testid="typing">{text}</div>;
}

export function Conversation({ room }: { room: string }) {
  const [details, setDetails] = useState(false);
  const c = conversation(room);
  const self = me.value?.id ?? 0;
  const title = titleOfRoom(room);
  const peer = directPeer(room, self);
  const sub = c?.kind === 'group'
    ? `${c.members} member${c.members === 1 ? '' : 's'}${c.open ? ' · open room' : ''}`
    : peer === 0 ? 'Messages from Troupe' : peer !== null ? (online.value.get(peer) ? 'online' : 'offline') : '';
  return (
    <section class="main-inner main" aria-label={`Conversation ${title}`}>
      <header class="conv-head">
        <button type="button" class="icon-btn back" aria-label="Back to conversations" onClick={() => openConversation(null)}><IconBack /></button>
        <Avatar name={title} id={peer ?? room} group={c?.kind === 'group'} online={peer ? online.value.get(peer) ?? false : undefined} />
        <div class="titles">
          <h2 data-testid="conversation-title">{title}</h2>
          <div class="sub">{sub}</div>
        </div>
        {c?.kind === 'group' ? (
          <button type="button" class="btn small" data-testid="watch-open" title="Watch a movie together in this room" onClick={() => openWatch(room)}><IconFilm />Watch together</button>
        ) : null}
        {c?.kind === 'group' ? (
          <button type="button" class="icon-btn" aria-label="Room details and members" title="Room details" onClick={() => setDetails(true)}><IconInfo /></button>
        ) : null}
      </header>
      <MessageList key={room} room={room} />
      <TypingLine room={room} />
      <Composer room={room} />
      {details && c ? <RoomDetails room={room} onClose={() => setDetails(false)} /> : null}
    </section>
  );
}
