// A modal dialog on the native <dialog>: focus moves into it and is trapped, Escape closes it
// (the browser's cancel event), the page behind is inert.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { IconClose } from './icons.tsx';

export function Dialog(props: { title: string; onClose: () => void; children: ComponentChildren; class?: string; label?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={props.class}
      aria-label={props.label ?? props.title}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      onClick={(e) => {
        // a click on the backdrop (the dialog element itself, outside its content) closes it
        if (e.target === ref.current) props.onClose();
      }}
    >
      <div class="dialog-head">
        <h2>{props.title}</h2>
        <button type="button" class="icon-btn" aria-label="Close" onClick={props.onClose}><IconClose /></button>
      </div>
      <div class="dialog-body">{props.children}</div>
    </dialog>
  );
}

/** Asks before something that cannot be undone. */
export function Confirm(props: { title: string; text: string; action: string; onConfirm: () => void; onClose: () => void }) {
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <p>{props.text}</p>
      <div class="dialog-foot">
        <button type="button" class="btn" onClick={props.onClose}>Cancel</button>
        <button type="button" class="btn danger solid" onClick={() => { props.onConfirm(); props.onClose(); }}>{props.action}</button>
      </div>
    </Dialog>
  );
}
