// A conversation's messages, windowed: only rows near the viewport are in the DOM. Older history
// loads when the top comes near; new messages keep the view at the bottom if it was there.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { timelineOf, me, loadOlder, loadingOlder, readSeqs, conversation, nameOf, markRead } from '../store/mod.ts';
import { timelineRows, seenBy, olderCursor, type Row } from '../state/mod.ts';
import { useVirtualizer } from './virtual.ts';
import { MessageRow, PendingRow } from './MessageRow.tsx';
import { useMinute } from './ConversationList.tsx';

/** Rough heights until a row is measured: a day line, a message with or without its name line. */
function estimate(row: Row): number {
  if (row.type === 'day') return 38;
  const m = row.type === 'message' ? row.message : row.pending;
  const lines = Math.ceil(Math.max(1, m.body.length) / 70) + (m.body.match(/\n/g)?.length ?? 0);
  const file = ('file' in m && m.file) ? 120 : 0;
  return (row.head ? 30 : 4) + lines * 22 + file;
}

const LOAD_OLDER_WITHIN_PX = 600;
/** Within this of the bottom the view counts as at the newest message. */
const END_PX = 80;
/** Room above the first row for "Loading older messages…" or "the beginning". */
const TOP_PX = 44;

export function MessageList({ room }: { room: string }) {
  const now = useMinute();
  const self = me.value?.id ?? 0;
  const tl = timelineOf(room).value;
  const rows = useMemo(() => timelineRows(tl, self, now), [tl, self, now]);
  const scroller = useRef<HTMLDivElement>(null);
  const seen = useMemo(() => seenBy(tl, readSeqs.value.get(room) ?? new Map(), self), [tl, readSeqs.value, room, self]);
  const virt = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => estimate(rows[i]),
    getItemKey: (i) => rows[i].key,
    overscan: 6,
    // keeps the view's place when older rows are prepended; following new rows at the bottom is
    // done below, by what the user did rather than where the view happens to be
    anchorTo: 'end',
    scrollEndThreshold: END_PX,
    paddingStart: TOP_PX,
    paddingEnd: 8,
  });
  // open at the newest message
  const [placed, setPlaced] = useState(false);
  useEffect(() => {
    if (!placed && rows.length) {
      virt.scrollToEnd();
      setPlaced(true);
    }
  }, [rows.length, placed]);
  // a message of mine goes out: show it, wherever the view was
  const pendingCount = tl.pending.length;
  const lastPending = useRef(pendingCount);
  useEffect(() => {
    if (pendingCount > lastPending.current) virt.scrollToEnd();
    lastPending.current = pendingCount;
  }, [pendingCount]);

  // Whether the view follows the newest message: it stops when the user scrolls up and starts
  // again when they reach the bottom. Content growing under the view does not change it: in a
  // burst of arrivals on a busy machine the list can grow several rows before the scroll to the
  // end lands, and judging by the distance from the end then (the library's followOnAppend) left
  // the view behind for good.
  const atEnd = useRef(true);
  const lastTop = useRef(0);
  const lastKey = rows.length ? rows[rows.length - 1].key : '';
  useLayoutEffect(() => {
    if (placed && atEnd.current) virt.scrollToEnd();
  }, [lastKey]);
  // the composer grows (an upload, a longer draft) or the window shrinks: stay at the newest
  // message if the view was there
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      if (atEnd.current) virt.scrollToEnd();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const maybeLoadOlder = () => {
    const el = scroller.current;
    if (!el || olderCursor(timelineOf(room).value) === null) return;
    if (el.scrollTop < LOAD_OLDER_WITHIN_PX) void loadOlder(room);
  };
  useEffect(() => {
    // a first page shorter than the screen: fetch more until it scrolls
    if (placed) maybeLoadOlder();
  }, [placed, tl.messages.length]);

  const conv = conversation(room);
  const items = virt.getVirtualItems();
  const more = olderCursor(tl) !== null;
  return (
    <div
      class="scroller"
      ref={scroller}
      onScroll={() => {
        // from the element itself: this handler runs before the virtualizer has read the new offset
        const el = scroller.current!;
        const nearEnd = el.scrollHeight - el.scrollTop - el.clientHeight <= END_PX;
        if (nearEnd) atEnd.current = true;
        else if (el.scrollTop < lastTop.current - 2) atEnd.current = false;
        lastTop.current = el.scrollTop;
        maybeLoadOlder();
        if (nearEnd && conv?.unread) markRead(room);
      }}
      role="log"
      aria-label="Messages"
      aria-live="polite"
      aria-relevant="additions"
      data-testid="messages"
    >
      <div class="rows" style={{ height: `${virt.getTotalSize()}px` }}>
        <div class="list-top">{!tl.loaded ? 'Loading…' : loadingOlder.value.has(room) ? 'Loading older messages…' : more ? '' : rows.length ? 'This is the beginning of the conversation.' : 'No messages yet. Say hello!'}</div>
        {items.map((it) => {
          const row = rows[it.index];
          return (
            <div key={row.key} class="row" data-index={it.index} ref={virt.measureElement} style={{ transform: `translateY(${it.start}px)` }}>
              {row.type === 'day' ? <div class="day" role="separator">{row.label}</div>
                : row.type === 'message' ? <MessageRow room={room} message={row.message} head={row.head} mine={row.message.from === self} seen={seen && seen.seq === row.message.seq ? seen.users.map(nameOf) : null} direct={conv?.kind === 'direct'} />
                : <PendingRow room={room} pending={row.pending} head={row.head} />}
            </div>
          );
        })}
      </div>
    </div>
  );
}
