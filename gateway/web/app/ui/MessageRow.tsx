// One message: sender and time at the head of a run, the text (as text; links made clickable,
// nothing else), an attachment, "edited", and for your own messages edit and delete. A pending
// send shows as sending or failed (with retry).
import { useEffect, useRef, useState } from 'preact/hooks';
import { me, nameOf, editMessage, recallMessage, retrySend, discardSend, fileState, requestFile } from '../store/mod.ts';
import { linkify, clockTime, describeSystem, formatBytes, type Message, type PendingSend } from '../state/mod.ts';
import { Avatar } from './Avatar.tsx';
import { Confirm, Dialog } from './Dialog.tsx';
import { IconEdit, IconTrash, IconFile, IconDownload } from './icons.tsx';

/** Text with http(s) links; every part is a text node or an <a>, never parsed as HTML. */
export function RichText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((p, i) => (p.kind === 'text' ? p.text : <a key={i} href={p.href} target="_blank" rel="noopener noreferrer">{p.text}</a>))}
    </>
  );
}

function Attachment({ room, seq }: { room: string; seq: number }) {
  useEffect(() => requestFile(room, seq), [room, seq]);
  const [zoom, setZoom] = useState(false);
  const state = fileState(room, seq);
  if (state.status === 'loading') return <div class="attachment faint">Loading attachment…</div>;
  if (state.status === 'gone') return <div class="attachment faint">Attachment unavailable ({state.message})</div>;
  const { url, file } = state.link;
  const type = file.contentType.split(';')[0].trim().toLowerCase();
  if (type.startsWith('image/') && type !== 'image/svg+xml') {
    return (
      <div class="attachment">
        <img src={url} alt={file.name || 'image'} loading="lazy" onClick={() => setZoom(true)} data-testid="image-preview" />
        {zoom ? (
          <Dialog title={file.name || 'Image'} class="lightbox" onClose={() => setZoom(false)}>
            <img src={url} alt={file.name || 'image'} />
          </Dialog>
        ) : null}
      </div>
    );
  }
  if (type.startsWith('video/')) {
    return (
      <div class="attachment">
        <video src={url} controls preload="metadata" playsInline aria-label={file.name || 'video'} data-testid="video" />
      </div>
    );
  }
  return (
    <div class="attachment">
      <a class="file-card" href={url} target="_blank" rel="noopener noreferrer" download={file.name || undefined}>
        <IconFile />
        <span>{file.name || 'file'}<small>{formatBytes(file.size)} · {type}</small></span>
        <IconDownload />
      </a>
    </div>
  );
}

function EditBox({ initial, onSave, onCancel }: { initial: string; onSave: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = ref.current!;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const save = () => {
    const t = text.trim();
    if (t && t !== initial) onSave(t);
    else onCancel();
  };
  return (
    <div class="edit-box">
      <label class="visually-hidden" for="edit-message">Edit message</label>
      <textarea
        id="edit-message"
        ref={ref}
        class="input"
        rows={2}
        value={text}
        maxLength={8000}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            save();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          }
        }}
      />
      <div class="actions">
        <button type="button" class="btn small primary" onClick={save}>Save</button>
        <button type="button" class="btn small" onClick={onCancel}>Cancel</button>
        <span class="faint">Enter saves, Escape cancels</span>
      </div>
    </div>
  );
}

export function MessageRow(props: { room: string; message: Message; head: boolean; mine: boolean; seen: string[] | null; direct?: boolean }) {
  const { room, message: m, head, mine } = props;
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  if (m.kind === 'system') {
    return <div class="system" data-seq={m.seq}>{describeSystem(m, nameOf)} · {clockTime(m.at)}</div>;
  }
  const name = nameOf(m.from);
  // a file sent without a caption carries its name as the text: the attachment shows it already
  const file = m.file && !m.recalled ? fileState(room, m.seq) : null;
  const bodyIsFileName = file?.status === 'ready' && file.link.file.name === m.body;
  return (
    <>
      <div class={`msg${head ? ' head' : ''}${m.recalled ? ' deleted' : ''}`} data-seq={m.seq} data-testid="message">
        <div class="msg-gutter">{head ? <Avatar name={name} id={m.from} /> : null}</div>
        <div>
          {head ? (
            <div class="msg-meta"><span class="msg-name">{name}</span><time class="msg-time" dateTime={new Date(m.at).toISOString()}>{clockTime(m.at)}</time></div>
          ) : null}
          {editing ? (
            <EditBox initial={m.body} onCancel={() => setEditing(false)} onSave={(text) => { setEditing(false); void editMessage(room, m.seq, text); }} />
          ) : bodyIsFileName && !m.edited ? null : (
            <div class="msg-body" data-testid="message-body">
              {m.recalled ? 'Message deleted' : <RichText text={m.body} />}
              {m.edited && !m.recalled ? <span class="edited">(edited)</span> : null}
            </div>
          )}
          {m.file && !m.recalled ? <Attachment room={room} seq={m.seq} /> : null}
        </div>
        {mine && !m.recalled && !editing ? (
          <div class="msg-tools">
            <button type="button" class="icon-btn" aria-label="Edit message" title="Edit" onClick={() => setEditing(true)}><IconEdit /></button>
            <button type="button" class="icon-btn" aria-label="Delete message" title="Delete" onClick={() => setConfirming(true)}><IconTrash /></button>
          </div>
        ) : null}
      </div>
      {props.seen ? <div class="seen" data-testid="seen">{props.direct ? 'Seen' : `Seen by ${props.seen.join(', ')}`}</div> : null}
      {confirming ? <Confirm title="Delete message?" text="Everyone in the conversation will see that it was deleted." action="Delete" onConfirm={() => void recallMessage(room, m.seq)} onClose={() => setConfirming(false)} /> : null}
    </>
  );
}

export function PendingRow(props: { room: string; pending: PendingSend; head: boolean }) {
  const { room, pending: p, head } = props;
  const name = me.value?.name ?? 'You';
  return (
    <div class={`msg pending${head ? ' head' : ''}`} data-testid="pending" data-client-msg-id={p.clientMsgId}>
      <div class="msg-gutter">{head ? <Avatar name={name} id={me.value?.id ?? 1} /> : null}</div>
      <div>
        {head ? <div class="msg-meta"><span class="msg-name">{name}</span><span class="msg-time">{clockTime(p.at)}</span></div> : null}
        <div class="msg-body"><RichText text={p.body} /></div>
        {p.file ? <div class="attachment faint">{p.file.name} · {formatBytes(p.file.size)}</div> : null}
        {p.state === 'failed' ? (
          <div class="state failed" role="alert">
            Not sent: {p.error}{' '}
            <button type="button" class="btn small" onClick={() => retrySend(room, p.clientMsgId)}>Retry</button>{' '}
            <button type="button" class="btn small ghost" onClick={() => discardSend(room, p.clientMsgId)}>Discard</button>
          </div>
        ) : (
          <div class="state">{p.attempts > 0 ? `Sending… (retry ${p.attempts})` : 'Sending…'}</div>
        )}
      </div>
    </div>
  );
}
