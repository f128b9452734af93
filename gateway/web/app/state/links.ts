// Message text as plain text and links. The UI renders each part as a text node or an <a>, never
// as HTML, so nothing in a message can become markup.

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = '.,;:!?\'"”’)]}>';

const count = (s: string, c: string) => s.split(c).length - 1;

/** Where a URL match really ends: sentence punctuation after it is not part of it. */
function urlEnd(url: string): number {
  let end = url.length;
  while (end > 0 && TRAILING.includes(url[end - 1])) {
    // a ")" that closes a "(" inside the URL belongs to it (wiki links)
    if (url[end - 1] === ')' && count(url.slice(0, end), '(') >= count(url.slice(0, end), ')')) break;
    end--;
  }
  return end;
}

/** Splits text into text and http(s) links. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const url = m[0].slice(0, urlEnd(m[0]));
    if (!/^https?:\/\/[^/]/i.test(url)) continue;
    let href: string;
    try {
      href = new URL(url).href;
    } catch {
      continue;
    }
    const start = m.index!;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
