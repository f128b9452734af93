// Pick what a room watches: a movie of the public library (search by title; its length, size,
// type and who added it), or a video file shared in the room's chat.
import { useEffect, useState } from 'preact/hooks';
import { library, libraryLoading, searchLibrary, pickLibraryMovie, pickRoomFile, timelineOf, fileState, requestFile, nameOf } from '../store/mod.ts';
import { formatBytes, formatDuration } from '../state/mod.ts';
import { Dialog } from './Dialog.tsx';

function RoomFile({ room, seq, from, onPicked }: { room: string; seq: number; from: number; onPicked: () => void }) {
  useEffect(() => requestFile(room, seq), [room, seq]);
  const st = fileState(room, seq);
  if (st.status !== 'ready' || !/^(video|audio)\//.test(st.link.file.contentType)) return null;
  const f = st.link.file;
  return (
    <li class="room-card">
      <div><strong>{f.name}</strong><small>{formatBytes(f.size)} · {f.contentType} · shared by {nameOf(from)}</small></div>
      <button type="button" class="btn small" onClick={async () => { if (await pickRoomFile(seq)) onPicked(); }}>Watch</button>
    </li>
  );
}

export function LibraryPicker({ room, onClose }: { room: string; onClose: () => void }) {
  const [query, setQuery] = useState('');
  useEffect(() => {
    const t = setTimeout(() => void searchLibrary(query), 200);
    return () => clearTimeout(t);
  }, [query]);
  const shared = timelineOf(room).value.messages.filter((m) => m.file && !m.recalled).slice(-30).reverse();
  return (
    <Dialog title="Pick a movie" onClose={onClose}>
      <label class="field">
        <span>Search the library</span>
        <input class="input" type="search" value={query} maxLength={100} placeholder="Title" onInput={(e) => setQuery(e.currentTarget.value)} data-testid="library-search" />
      </label>
      <ul class="plain" aria-label="Library" aria-busy={libraryLoading.value}>
        {library.value.map((item) => (
          <li class="room-card" key={item.file} data-testid="library-item">
            <div>
              <strong>{item.title}</strong>
              <small>{item.durationMs ? formatDuration(item.durationMs) : 'length unknown'} · {formatBytes(item.size)} · {item.contentType} · added by {item.addedBy.name}</small>
            </div>
            <button type="button" class="btn small primary" onClick={async () => { if (await pickLibraryMovie(item)) onClose(); }}>Watch</button>
          </li>
        ))}
      </ul>
      {!library.value.length && !libraryLoading.value ? <p class="muted">{query ? 'No movie in the library matches.' : 'The library is empty. An operator publishes movies with troupe library publish.'}</p> : null}
      {shared.length ? (
        <>
          <div class="label">Shared in this room</div>
          <ul class="plain">{shared.map((m) => <RoomFile key={m.seq} room={room} seq={m.seq} from={m.from} onPicked={onClose} />)}</ul>
        </>
      ) : null}
    </Dialog>
  );
}
