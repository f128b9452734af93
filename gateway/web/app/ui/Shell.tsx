// The signed-in layout: the sidebar (you, the tabs, the list of the tab) and the main pane (the
// open conversation, its room's watch view, or your files). Below 760 px one of the two shows at a time.
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { me, signOut, currentRoom, watchRoom, conversations, people } from '../store/mod.ts';
import { totalUnread, pendingRequests } from '../state/mod.ts';
import { ConversationList } from './ConversationList.tsx';
import { PeoplePanel } from './People.tsx';
import { Conversation } from './Conversation.tsx';
import { FilesView } from './Files.tsx';
import { WatchView } from './Watch.tsx';
import { NewRoomDialog, DiscoverDialog } from './RoomDialogs.tsx';
import { Banner } from './Banner.tsx';
import { Avatar } from './Avatar.tsx';
import { IconLogout, IconChat, IconPeople, IconFolder, IconPlus, IconSearch } from './icons.tsx';
import { view, show, type View } from './nav.ts';

function Tab({ v, label, icon, count }: { v: View; label: string; icon: JSX.Element; count?: number }) {
  return (
    <button type="button" role="tab" class="tab" aria-selected={view.value === v} onClick={() => show(v)} data-testid={`tab-${v}`}>
      {icon}{label}{count ? <span class="badge" aria-label={`${count} new`}>{count}</span> : null}
    </button>
  );
}

export function Shell() {
  const [dialog, setDialog] = useState<'new' | 'discover' | null>(null);
  const user = me.value;
  const v = view.value;
  const room = currentRoom.value;
  const showingMain = v === 'files' || room !== null;
  return (
    <div class={`shell${showingMain ? ' showing-main' : ''}`}>
      <Banner />
      <aside class="sidebar" aria-label="Navigation">
        <div class="side-head">
          <div class="me">
            {user ? <Avatar name={user.name} id={user.id} small /> : null}
            <span class="me-name" data-testid="me">{user?.name}</span>
          </div>
          <button type="button" class="icon-btn" aria-label="Sign out" title="Sign out" onClick={() => void signOut()}><IconLogout /></button>
        </div>
        <div class="tabs" role="tablist" aria-label="Sections">
          <Tab v="chats" label="Chats" icon={<IconChat />} count={totalUnread(conversations.value)} />
          <Tab v="people" label="People" icon={<IconPeople />} count={pendingRequests(people.value)} />
          <Tab v="files" label="Files" icon={<IconFolder />} />
        </div>
        {v === 'people' ? <PeoplePanel /> : (
          <>
            <div class="side-actions">
              <button type="button" class="btn small" onClick={() => setDialog('new')}><IconPlus />New room</button>
              <button type="button" class="btn small" onClick={() => setDialog('discover')}><IconSearch />Browse rooms</button>
            </div>
            <div class="side-scroll"><ConversationList /></div>
          </>
        )}
      </aside>
      {v === 'files' ? <FilesView /> : room && watchRoom.value === room ? <WatchView key={room} room={room} /> : room ? <Conversation key={room} room={room} /> : (
        <section class="main">
          <div class="placeholder">
            <div><h2>Welcome{user ? `, ${user.name}` : ''}</h2><p>Pick a conversation, find people under People, or create a room.</p></div>
          </div>
        </section>
      )}
      {dialog === 'new' ? <NewRoomDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'discover' ? <DiscoverDialog onClose={() => setDialog(null)} /> : null}
    </div>
  );
}
