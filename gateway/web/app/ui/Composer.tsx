// Writing a message: Enter sends, Shift+Enter starts a new line; attach files (uploaded straight
// to a storage node, with progress and cancel); typing is announced to the room.
import { useEffect, useRef, useState } from 'preact/hooks';
import { send, userTyping, canWrite, uploads, attach, cancelUpload, retryUpload } from '../store/mod.ts';
import { formatBytes } from '../state/mod.ts';
import { IconAttach, IconSend, IconClose, IconRetry } from './icons.tsx';

/** Unsent text per room, kept while switching conversations. */
const drafts = new Map<string, string>();

function Uploads({ room }: { room: string }) {
  const mine = uploads.value.filter((u) => u.room === room);
  if (!mine.length) return null;
  return (
    <div class="uploads" aria-label="Uploads">
      {mine.map((u) => (
        <div key={u.key} class={`upload${u.state === 'failed' ? ' failed' : ''}`} data-testid="upload">
          <span class="upload-name">{u.name} · {u.state === 'failed' ? formatBytes(u.size) : `${formatBytes(u.loaded)} of ${formatBytes(u.size)}`}</span>
          {u.state === 'failed'
            ? <p class="error-text" role="alert">Upload failed: {u.error}</p>
            : <progress max={Math.max(1, u.size)} value={u.loaded} aria-label={`Uploading ${u.name}`} />}
          <span class="actions">
            {u.state === 'failed' ? <button type="button" class="icon-btn" aria-label={`Retry ${u.name}`} onClick={() => retryUpload(u.key)}><IconRetry /></button> : null}
            <button type="button" class="icon-btn" aria-label={u.state === 'failed' ? `Dismiss ${u.name}` : `Cancel upload of ${u.name}`} onClick={() => cancelUpload(u.key)}><IconClose /></button>
          </span>
        </div>
      ))}
    </div>
  );
}

export function Composer({ room }: { room: string }) {
  const [text, setText] = useState(drafts.get(room) ?? '');
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setText(drafts.get(room) ?? '');
    area.current?.focus();
  }, [room]);
  useEffect(() => {
    // grow with the text, up to the CSS max-height
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [text]);
  if (!canWrite(room)) return <div class="composer"><p class="composer-note">System messages cannot be answered.</p></div>;
  const submit = () => {
    if (!text.trim()) return;
    send(room, text);
    setText('');
    drafts.delete(room);
  };
  return (
    <div class="composer">
      <Uploads room={room} />
      <div class="composer-row">
        <button type="button" class="icon-btn" aria-label="Attach a file" title="Attach a file" onClick={() => picker.current?.click()}><IconAttach /></button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            for (const f of e.currentTarget.files ?? []) attach(room, f);
            e.currentTarget.value = '';
          }}
        />
        <label class="visually-hidden" for="composer-text">Message</label>
        <textarea
          id="composer-text"
          ref={area}
          rows={1}
          placeholder="Write a message"
          value={text}
          maxLength={8000}
          onInput={(e) => {
            const v = e.currentTarget.value;
            setText(v);
            drafts.set(room, v);
            if (v) userTyping(room);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="button" class="btn primary send" aria-label="Send" onClick={submit} disabled={!text.trim()}><IconSend /></button>
      </div>
    </div>
  );
}
