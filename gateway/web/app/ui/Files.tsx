// Your files: every upload (from chat or the CLI), newest first; download or delete.
import { useEffect, useState } from 'preact/hooks';
import { myFiles, myFilesCursor, myFilesLoading, loadMyFiles, downloadUrl, deleteFile } from '../store/mod.ts';
import { formatBytes, shortWhen, type FileInfo } from '../state/mod.ts';
import { Confirm } from './Dialog.tsx';
import { IconDownload, IconTrash, IconBack } from './icons.tsx';
import { show } from './nav.ts';

async function download(f: FileInfo): Promise<void> {
  const url = await downloadUrl(f.id);
  // another origin (the storage node): a new tab shows or saves it, as its type says
  if (url) window.open(url, '_blank', 'noopener,noreferrer');
}

export function FilesView() {
  const [deleting, setDeleting] = useState<FileInfo | null>(null);
  useEffect(() => void loadMyFiles(), []);
  const files = myFiles.value;
  const now = Date.now();
  return (
    <section class="main" aria-label="My files">
      <header class="conv-head">
        <button type="button" class="icon-btn back" aria-label="Back" onClick={() => show('chats')}><IconBack /></button>
        <div class="titles"><h2>My files</h2><div class="sub">Everything you uploaded, newest first</div></div>
      </header>
      <div class="files">
        {!files.length ? (
          <p class="empty">{myFilesLoading.value ? 'Loading…' : 'No files yet. Attach one to a message, or upload with troupe files upload.'}</p>
        ) : (
          <table class="file-table" data-testid="files">
            <thead><tr><th>Name</th><th>Size</th><th class="when">Added</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.id} data-file={f.id}>
                  <td class="name" title={f.name || f.id}>{f.name || f.id}</td>
                  <td class="size">{formatBytes(f.size)}</td>
                  <td class="when">{shortWhen(Date.parse(f.createdAt), now)}</td>
                  <td class="actions">
                    <button type="button" class="icon-btn" aria-label={`Download ${f.name || f.id}`} title="Download" onClick={() => void download(f)}><IconDownload /></button>
                    <button type="button" class="icon-btn" aria-label={`Delete ${f.name || f.id}`} title="Delete" onClick={() => setDeleting(f)}><IconTrash /></button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {myFilesCursor.value ? <p><button type="button" class="btn" disabled={myFilesLoading.value} onClick={() => void loadMyFiles(true)}>Show more</button></p> : null}
      </div>
      {deleting ? (
        <Confirm title="Delete file?" text={`${deleting.name || deleting.id} will be removed from every storage node. Messages that show it will say it is unavailable.`} action="Delete" onConfirm={() => void deleteFile(deleting.id)} onClose={() => setDeleting(null)} />
      ) : null}
    </section>
  );
}
