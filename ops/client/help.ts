// The text of `troupe client --help`: every command and every output format.
import type { ClientCommand } from './context.ts';

const sections: [string, string[]][] = [
  ['Account', ['register', 'login', 'logout', 'whoami', 'ping']],
  ['Conversations and rooms', ['rooms', 'create', 'join', 'invite', 'leave', 'kick', 'role', 'rename', 'members', 'discover']],
  ['Messages', ['send', 'edit', 'recall', 'history', 'read', 'sync', 'listen']],
  ['People', ['find', 'friends', 'add', 'accept', 'decline', 'unfriend', 'block', 'unblock', 'presence']],
  ['Watch together', ['library', 'watch']],
  ['Interactive', ['chat']],
];

export function clientUsage(commands: Record<string, ClientCommand>): string {
  const lines = ['troupe client <command> [args] [--url URL] [--profile NAME]', ''];
  for (const [title, names] of sections) {
    lines.push(`${title}:`);
    for (const n of names) {
      const c = commands[n];
      if (!c) continue;
      if (c.usage.length < 48) lines.push(`  ${c.usage.padEnd(48)} ${c.summary}`);
      else lines.push(`  ${c.usage}`, `  ${''.padEnd(48)} ${c.summary}`);
    }
  }
  return lines.join('\n');
}

export const clientDescription = `
A client of the gateway over TCP or WebSocket (--url tcp://host:7070, ws://host:8080/ws, or
http://host:8080 to be sent to the least-loaded gateway). \`login\` saves the session in the
profile (~/.troupe/<profile>.session.json, mode 600); later commands resume it and connect to
--url if given, else to the URL the profile logged in with. Several accounts side by side:
--profile NAME (or TROUPE_PROFILE).

Naming things:
  <user>   a user name (exact, any case)
  <room>   a room id (g… for groups, d<id>-<id> for direct conversations), @name for the direct
           conversation with that user (a first message creates it), or the exact name of one
           of your rooms. join also takes the name of an open room.
  Text that starts with "-" goes after "--":  troupe client send @bob -- -5 degrees

Output: one record per line, fields separated by a TAB, free text last with \\ TAB newline CR
written as \\\\ \\t \\n \\r, so cut -f and awk -F'\\t' work. Errors go to stderr as
"troupe client: <code>: <message>"; exit status 1 for failures, 2 for usage errors.
  rooms                  <room> <name or @peer> <unread> <last message preview>
  create, join           <room> <name>
  invite, kick           <room> invited|kicked <user>
  role                   <room> admin|member <user>
  leave, rename          <room> left | <room> renamed <new name>
  members                <user> <owner|admin|member> <online|offline> <read up to seq>
  discover               <room> <name> <member count> <description>
  send, edit, recall     <room> <seq of the new entry>
  read                   <room> <read up to seq> <unread left>
  history, sync, listen  entries: <room> <seq> <time, UTC ISO 8601> <sender or -> <kind> <text>
      kind  text       a message
            edited     a message edited since (the text is the edited one)
            recalled   a recalled message (empty text)
            edit       an edit: text is "#<seq> <new text>"
            recall     a recall: text is "#<seq>"
            system     a room event (created, joined, left, renamed…) in words
      history prints "more: --before <seq>" on stderr when older entries exist.
      A sender who left the room shows as #<user id>.
  listen also prints events, first field the event name (entries start with the room id):
            read <room> <user> <seq>    typing <room> <user>    joined <room> <name>
            left <room> left|kicked     friend <user> <status>  presence <user> <online|offline> <devices>
  find                   <user> <id>
  friends                <user> <friend|incoming|outgoing|blocked> <online|offline> <devices or ->
  add, accept, decline, unfriend, block, unblock
                         <user> <status now: outgoing|friend|none|blocked>
  presence               <user> <online|offline> <devices or -> <last seen or ->
  register, login, logout, whoami, ping: one sentence.
  library                <file id> <title> <length m:ss.s or -> <bytes> <type> <added by>
  watch                  as things happen: timeline <state> <position> <title> <cause> <by>,
                         viewers <name:status>..., source <media server node>; after "who" and
                         "status": viewers ..., status <state> <target> <drift ms> <node>

sync and listen show each entry once per profile: the profile remembers how far it has seen
(cursors next to the session), so a second sync prints only what is newer. listen prints the
unseen entries first, then follows until Ctrl-C or --for SECONDS. send retries after a timeout or
a lost connection with the same client message id: the message is never stored twice.

Devices: one connection per device type and user (a newer one kicks the older). One-shot
commands connect as "cli", chat, listen and watch as "desktop"; --device picks another type.

Watch together: troupe client watch <room> plays the room's movie in mpv (Debian package mpv)
in sync with everyone else, browsers included: small drift is corrected with the playback rate
(within ±5 %), a large one with a seek. Pausing or seeking in mpv does it for the room (when the
room lets you control it). Commands on stdin: play, pause, seek <time>, rate <r>,
load <library file id | #seq of a file shared in the room | title words>, library [query], who,
status, quit. --headless runs mpv without window or sound. watch connects as "desktop", like chat
and listen: to chat while you watch, start one of them with --device web (or mobile).

Interactive: troupe client chat [room|@user] shows your conversations; /open <room|@user|number>
opens one and shows its last messages, /more pages back, plain lines are sent, new messages of
the open conversation appear as they arrive and are marked read, others show a one-line notice
with the unread count. /help lists the commands; every command above also works as /command.
On a pipe it reads one line at a time and prints plain lines (no prompt), so it can be scripted.`;
