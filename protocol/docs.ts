// Renders protocol/README.md from the schemas themselves, so the reference cannot drift from the
// code: `troupe docs` writes it, the test suite checks it is current.
import { errorCodes, errorReasons } from './errors.ts';
import { ops, pushes, messages } from './ops.ts';
import { adminRoutes, AdminMessage, AdminRoom, AdminLibraryItem } from './admin.ts';
import { storageRoutes, FileTicket, UploadTicket, UploadResult, DeleteResult, StorageNodeInfo, FILE_ID_PATTERN } from './storage.ts';
import type { TSchema } from './schema.ts';

type J = TSchema & Record<string, unknown>;

function typeOf(s: J): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf) return (s.anyOf as J[]).map(typeOf).join(' \\| ');
  if (s.type === 'array') return `${typeOf(s.items as J)}[]`;
  if (s.type === 'object') {
    const props = Object.entries((s.properties ?? {}) as Record<string, J>);
    if (!props.length) return s.patternProperties ? `{ [key]: ${typeOf(Object.values(s.patternProperties as Record<string, J>)[0])} }` : '{}';
    const req = new Set((s.required ?? []) as string[]);
    return `{ ${props.map(([k, v]) => `${k}${req.has(k) ? '' : '?'}: ${typeOf(v)}`).join(', ')} }`;
  }
  const bits: string[] = [];
  if (s.minLength !== undefined || s.maxLength !== undefined) bits.push(`${s.minLength ?? 0}..${s.maxLength ?? '∞'} chars`);
  if (s.minimum !== undefined || s.maximum !== undefined) bits.push(`${s.minimum ?? '-∞'}..${s.maximum ?? '∞'}`);
  if (s.minItems !== undefined || s.maxItems !== undefined) bits.push(`${s.minItems ?? 0}..${s.maxItems ?? '∞'} items`);
  if (s.pattern) bits.push(`/${s.pattern}/`);
  return `${String(s.type ?? 'any')}${bits.length ? ` (${bits.join(', ')})` : ''}`;
}

function fields(schema: TSchema): string {
  const s = schema as J;
  if (s.anyOf) {
    // a union of messages told apart by their `type`
    return (s.anyOf as J[]).map((v) => {
      const t = ((v.properties as Record<string, J> | undefined)?.type?.const as string | undefined) ?? '(variant)';
      return `- \`${t}\`: ${typeOf(v).replace(/^\{ type: "[^"]*",? ?/, '{ ')}`;
    }).join('\n') + '\n';
  }
  const props = Object.entries((s.properties ?? {}) as Record<string, J>);
  if (!props.length) return '_no fields_\n';
  const req = new Set((s.required ?? []) as string[]);
  const rows = props.map(([k, v]) => `| \`${k}\` | ${typeOf(v).replace(/\|(?!\|)/g, '\\|').replace(/\\\\\|/g, '\\|')} | ${req.has(k) ? 'yes' : 'no'} | ${String(v.description ?? '')} |`);
  return ['| field | type | required | meaning |', '|---|---|---|---|', ...rows, ''].join('\n');
}

export function renderProtocolReadme(): string {
  const out: string[] = [];
  out.push(`# Troupe protocol reference

_Generated from the schemas in \`protocol/\` by \`npm run troupe -- docs\`; do not edit by hand._

## Framing

- **TCP** (default port 7070): each frame is a 4-byte big-endian length followed by that many
  bytes of UTF-8 JSON. Frames above the gateway's \`max_frame_bytes\` (default 64 KiB) are answered
  with \`frame_too_large\` and skipped; a length above \`discard_limit_bytes\` closes the connection.
- **WebSocket** (\`/ws\` on the HTTP port, default 8080): one text message is one envelope.
  Binary messages are refused with \`bad_frame\`. A browser's upgrade (it carries \`Origin\`) is
  accepted from the gateway's own pages (the web client at \`/\`) and from the origins in
  \`--ws-origins\`; others get 403. Clients that send no \`Origin\` are not browsers and may connect.

## Envelopes

- Request: \`{ "op": "auth.login", "rid": 1, ...fields }\`. \`rid\` is a non-negative integer the
  client picks; the response echoes it. A request without \`rid\` gets no success response.
- Success: \`{ "rid": 1, "ok": true, ...fields }\`.
- Failure: \`{ "rid": 1, "ok": false, "error": { "code": "bad_credentials", "message": "..." } }\`.
  The code decides what to do (see the table at the end); the message is for people and may
  change. A few refusals add a finer \`reason\` (\`"error": { "code": "forbidden", "reason":
  "not_member", ... }\`): word them by it, never by the message.
  An error that belongs to no request (unreadable frame, timeouts, kicks) has \`"op": "error"\`
  and no \`rid\`; when the connection is closed after it, it is the last frame.
- Push: \`{ "op": "<push name>", ...fields }\`, no \`rid\`.

Unknown fields are refused (\`bad_request\` naming the field), so typos do not pass silently.

## Retries

A request that changes something may be sent again after a timeout or a reconnect: \`chat.send\`
with the same \`clientMsgId\`, and every other request as it was. **A success is remembered**: the
same request answers with the first result and changes nothing twice (\`chat.send\` answers the
original \`seq\`). **A refusal is not**: it changed nothing, so it is answered but not kept as the
request's final result, and a retry is judged afresh against the state at that time. A message
refused with \`forbidden\` because you were not a member (or were blocked) goes through once you
are invited (or unblocked); a refused \`chat.recall\` by someone else never stands in the way of
the author's. Only \`bad_request\` is final, since the same input stays bad. A client may keep a
failed message and retry it later with the same ids: it can never be applied twice, and it never
stays refused after the reason is gone.

## Watch together

A room's members watch a movie together through the room's watch actor, which owns its
**timeline** \`{ epoch, state, position, at, rate, media }\`. While \`playing\`, the movie is at
\`position + rate × (now − at)\` ms, where \`now\` is server time: estimate your offset to it with
\`ping\` (NTP-style: \`offset = now − (sent + received) / 2\`; take several samples when you join,
then one every 15 s, and trust the ones with the lowest round trip; while those are slow, sample
every few seconds, and again at once when a much faster round trip shows the link cleared; the
client library's \`ClockSync\` does this). An \`at\` in the future is a scheduled start: hold at \`position\` until then.

1. \`watch.join\` (you get the timeline, settings and viewers, then \`watch.*\` pushes), then
   \`watch.source\` for a signed URL of the movie on the media server the room is placed on.
2. Whenever the timeline changes (\`watch.timeline\`), go to its position; when you have data there
   send \`watch.ready\` with its epoch. \`preparing\` waits for everyone who was watching (until
   \`until\`), then the room plays from a start far enough ahead to reach everyone: pass your
   round trip (\`rttMs\`) and how the last start reached you (\`start\`: its margin and your
   player's start lead), and the room learns how far ahead its starts must be. If you buffer
   while the room plays, send \`watch.stall\`, and \`watch.ready\` when you can play again; catch up
   on your own (others are not paused unless the room's \`pauseForStalls\` setting says so).
3. Keep your player on the target: small drift is corrected with the playback rate (within ±5 %),
   a large one (over about 1 s) with a seek, at most once every few seconds
   (\`protocol/client/sync.ts\` decides this for the client library, the terminal player and the
   web client alike). \`watch.report\` shares your measured drift with the room. In a browser,
   set \`preservesPitch = false\` on the video: Chromium's pitch-keeping time stretch sets its
   clock back 15-25 ms at every rate change, which undoes the corrections (resampled, the sound's
   pitch follows the rate while a correction lasts).
4. Control (\`watch.load\`, \`play\`, \`pause\`, \`seek\`, \`rate\`) names the epoch you saw; the room
   refuses a command based on an older timeline (\`conflict\`), so a retried or crossed command
   never applies twice or undoes a newer one.

## Limits

Every limit is configurable (see \`troupe gateway --help\`): frame size, per-connection request
rate (token bucket, \`rate_limited\`), unanswered requests per connection (\`too_many_in_flight\`),
login deadline (\`login_timeout\`, 15 s), idle timeout (\`idle_timeout\`, 120 s: send \`ping\`),
connections per gateway (\`too_many_connections\`), and output a client lets pile up
(\`slow_consumer\`).

## Ops
`);
  out.push('| op | login | summary |', '|---|---|---|');
  for (const [name, spec] of Object.entries(ops)) out.push(`| [\`${name}\`](#${name.replace(/\./g, '')}) | ${spec.auth ? 'yes' : 'no'} | ${spec.summary} |`);
  out.push('');
  for (const [name, spec] of Object.entries(ops)) {
    out.push(`### \`${name}\``, '', spec.summary, '');
    if (spec.notes) out.push(spec.notes, '');
    out.push('Request:', '', fields(spec.request), 'Response:', '', fields(spec.response));
    if (spec.errors.length) out.push(`Errors: ${spec.errors.map((e) => `\`${e}\``).join(', ')}`, '');
  }
  out.push('## Pushes', '');
  const pushEntries = Object.entries(pushes) as [string, { summary: string; body: TSchema }][];
  if (!pushEntries.length) out.push('_none yet_', '');
  for (const [name, spec] of pushEntries) out.push(`### \`${name}\``, '', spec.summary, '', fields(spec.body));
  out.push('## Error codes', '', '| code | meaning |', '|---|---|');
  for (const [code, meaning] of Object.entries(errorCodes)) out.push(`| \`${code}\` | ${meaning} |`);
  out.push('', '## Error reasons', '', 'Beside the code, in `error.reason`; a client that does not know a reason ignores it.', '', '| reason | meaning |', '|---|---|');
  for (const [reason, meaning] of Object.entries(errorReasons)) out.push(`| \`${reason}\` | ${meaning} |`);
  out.push('');
  out.push(`## NATS subjects

What operators see with the \`nats\` CLI (log in as user \`ops\`). Payloads are JSON.

| subject | kind | meaning |
|---|---|---|
| \`act.<kind>.<p>.<id>\` | JetStream \`ACTORS\` | actor mailbox; \`p = fnv1a32(kind + "." + id) mod P\` |
| \`actq.<kind>.<p>.<id>\` | core request/reply | a query to an actor (a message type its kind declares as a query), answered by the partition's lease holder from memory; the reply is the message's reply |
| \`evt.user.<uid>\` | core | push to a user's connected devices (\`{ push, only?, except?, close? }\`) |
| \`evt.room.<rid>\` | core | room broadcast; a gateway subscribes while it holds a member |
| \`evt.watch.<rid>\` | core | a room's watch-together pushes (\`{ push }\`); a gateway subscribes while it holds a connection watching the room |
| \`svc.<service>.<op>\` | core request/reply, queue group = service | stateless services |
| \`storage.<group>.log\` | JetStream \`STORAGE\` | a storage group's binlog |
| KV \`leases\`, \`nodes\`, \`config\` | JetStream KV | partition leases; live gateways, hosts and storage nodes; deployment constants |

Service replies are \`{ "ok": true, ...reply }\` or \`{ "ok": false, "error": { code, message, reason? } }\`.
`);
  for (const [name, spec] of Object.entries(messages)) {
    // several messages may share a subject (the binlog's record kinds): then the name tells them apart
    out.push(`### \`${spec.subject}\`${name === spec.subject ? '' : ` — \`${name}\``}`, '', spec.summary, '', 'Body:', '', fields(spec.body));
    if (spec.reply) out.push('Reply:', '', fields(spec.reply));
  }
  out.push(adminSection());
  out.push(storageSection());
  return out.join('\n');
}

function adminSection(): string {
  const out: string[] = [`## Admin HTTP API (gateways)

TeamTalk's http_msg_server: on every gateway's HTTP port when \`TROUPE_ADMIN_TOKEN\` is set (off
otherwise). Every call needs \`Authorization: Bearer <token>\`; a missing or wrong token gets 401
\`unauthenticated\`. Errors are \`{ "error": { code, message } }\`.
`, '| method | path | summary | answers |', '|---|---|---|---|'];
  for (const r of adminRoutes) out.push(`| ${r.method} | \`${r.path}\` | ${r.summary} | ${r.responses} |`);
  out.push('', '### `AdminMessage`', '', fields(AdminMessage), '### `AdminRoom`', '', fields(AdminRoom), '### `AdminLibraryItem`', '', fields(AdminLibraryItem));
  return out.join('\n');
}

function storageSection(): string {
  const out: string[] = [];
  out.push(`## Storage nodes (HTTP)

Each storage node serves its own HTTP API (\`troupe storage --http PORT\`). Clients reach a node the
group actor names for them (through \`files.upload\` / \`files.download\`), with a ticket the hosts'
files service signs. Errors are JSON
\`{ "error": { "code", "message" } }\` with the codes above.

| method | path | auth | what | responses |
|---|---|---|---|---|`);
  for (const r of storageRoutes) out.push(`| ${r.method} | \`${r.path}\` | ${r.auth} | ${r.summary} | ${r.responses} |`);
  out.push(`
### File ids and paths

A file id is \`<group>-<n>-<r>\` (\`${FILE_ID_PATTERN}\`): the storage group, the numeric id \`n\`
in base 36 (allocated per group from Leaf-style segments in table \`id_segments\`) and 12 random
characters, so ids cannot be guessed. The node stores the bytes at a path computed from \`n\` alone
(the seed's 512-ary three-level layout): \`<data>/files/<aaa>/<bbb>/<ccc>/<ddd>\` with
\`ddd = n mod 512\`, \`ccc = (n div 512) mod 512\`, \`bbb = (n div 512²) mod 512\`, \`aaa = n div 512³\`,
each in decimal padded to three digits. That one file holds the bytes followed by their metadata
(the binlog \`create\` record as JSON, its length as a 4-byte big-endian integer, then \`TRPMETA1\`),
written to a temp file, fsynced once and renamed into place: a file present at its path is complete
and held by the node. Files stored by earlier versions keep their metadata beside them in
\`<ddd>.meta\` and are still served. Nothing from a request other than the parsed number reaches the
file system.

Small files (an announced \`Content-Length\` of at most 64 KiB) are packed instead, as FastDFS
packs them: the same content (bytes, then the metadata tail) goes into a trunk file
\`<data>/trunks/<seq>.trunk\` as one record (\`TRPJ\`, kind, \`n\`, length, CRC-32, then the content),
with the other small files committed beside it in one synchronous (\`O_DSYNC\`) write. A node finds
them again at start by reading its trunks (a torn last record, cut by a crash, is skipped: it was
never acknowledged); a delete appends a removal record, and a sealed trunk (64 MiB) that is less
than half live is compacted into the open one. A small file is held when a trunk holds it.

### Tickets

Every upload, download and delete carries a ticket, in the query (\`?ticket=\`, for players and
\`<video src>\`) or as \`Authorization: Bearer <ticket>\`:

\`t1.<payload>.<mac>\` where \`payload\` is base64url of the JSON below and
\`mac = base64url(HMAC-SHA256(k, "t1." + payload))\`, \`k = HMAC-SHA256(storage_secret, "troupe file tickets")\`.
A node refuses a ticket whose mac does not verify, whose \`exp\` has passed, whose op or file is
not the request's, or (upload) whose group is not the node's; a read or delete ticket only works
for the file's owner, except a read ticket carrying a \`grant\` (issued by \`svc.files.link\` after
its caller checked that the user may read the file, e.g. a member of a chat room it was sent to).
Tickets are issued by the hosts' files service (\`files.upload\`, \`files.download\`), valid for
\`ticket_ttl_seconds\` (default 900).

Read or delete:

${fields(FileTicket)}
Upload:

${fields(UploadTicket)}
### Upload result (201)

${fields(UploadResult)}
### Delete result (200)

${fields(DeleteResult)}
### Peer requests

\`/internal/\` requests carry \`Authorization: TroupePeer <nodeId>:<ms>:<mac>\` with
\`mac = hex(HMAC-SHA256(k, "<METHOD> <path>\\n<nodeId>\\n<ms>"))\`,
\`k = HMAC-SHA256(storage_secret, "troupe storage peers")\`; a signature older than 60 s is refused.

### Replication

Each node reads its group's binlog (\`storage.<group>.log\` in stream \`STORAGE\`) with its own
durable consumer \`storage-<nodeId>\` (explicit acks, one record in flight, so records apply in
order) and keeps the last applied stream sequence in its data dir. For a \`create\` it lacks it
fetches the bytes from a node that holds the file, checks size and sha-256 and stores them; for a
\`delete\` it removes them. **A file with \`binlogSeq\` S is held by its origin and by every node
whose \`appliedSeq\` ≥ S**, until it is deleted: downloads go only to those nodes. A new node
reports \`syncing\` until it has applied the whole backlog, then \`active\`.

### Membership: group actors and the tracker

A node joins its group actor (\`act.group.<p>.<group>\`, kind \`group\`, id = the group) when it
starts and beats to it every \`heartbeat_ms\` with its state, load, free disk and applied seq
(\`act.group.join\`, \`act.group.beat\`); each answer is the group's member list, which is where the
node finds peers to fetch from. The group actor's verdict wins: a node that misses
\`storage_missed_beats\` beats in a row (a deadline per node in the actor's context), or says it
leaves, is \`offline\` and named for nothing until it beats again. Uploads go to the least-loaded
active node with room (\`act.group.uploadTarget\`), reads to the active nodes that hold the file by
the rule above (\`act.group.readTargets\`). Group actors report material changes (membership,
states, free space moving by more than 1 % of a disk) to the tracker (\`act.tracker.<p>.main\`),
which picks the group with the most free space for a user's first upload; the files service keeps
that choice in \`storage_routes\` (the seed's \`t_router\`; the first writer wins).

### KV \`nodes\` entry of a storage node

${fields(StorageNodeInfo)}`);
  return out.join('\n');
}
