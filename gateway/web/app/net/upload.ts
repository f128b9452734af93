// Uploads straight to a storage node with the ticket the gateway granted: XMLHttpRequest, because
// fetch() reports no upload progress. The node answers 201 with the stored file.
import type { UploadResult } from '../../../../protocol/storage.ts';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export class UploadError extends Error {
  constructor(message: string, readonly status: number, readonly code?: string) {
    super(message);
    this.name = 'UploadError';
  }
}

export interface RunningUpload {
  done: Promise<UploadResult>;
  cancel(): void;
}

/** PUTs `file` to `url` (a grant URL with its ticket), reporting progress; cancel() aborts it. */
export function putFile(url: string, file: Blob & { name?: string }, onProgress: (p: UploadProgress) => void): RunningUpload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadResult>((resolve, reject) => {
    const target = file.name ? `${url}&name=${encodeURIComponent(file.name.slice(0, 255))}` : url;
    xhr.open('PUT', target);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      const body = xhr.response as (UploadResult & { error?: { code: string; message: string } }) | null;
      if (xhr.status === 201 && body && !body.error) resolve(body);
      else reject(new UploadError(body?.error?.message ?? `the storage node answered ${xhr.status}`, xhr.status, body?.error?.code));
    };
    xhr.onerror = () => reject(new UploadError('the storage node could not be reached', 0));
    xhr.onabort = () => reject(new UploadError('cancelled', 0, 'cancelled'));
    xhr.send(file);
  });
  return { done, cancel: () => xhr.abort() };
}
