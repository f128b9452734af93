// The web client in real Chromium against a whole system: alice and bob in two browser contexts on
// two different gateways, carol on a phone-sized screen. They register, become friends, exchange
// direct messages, make a group, see typing and read receipts; alice sends an image (bob sees the
// preview) and a video (it plays and seeks); alice's gateway restarts while bob sends 5 messages
// (she sees all 5, once, in order); markup in a message stays text. Screenshots of the main
// screens go to the test's temp dir (printed at the end).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { startWebEnv, scenarioSteps, type Person } from './helpers/web.ts';
import { pngImage, tinyWebm } from './helpers/media.ts';

const env = await startWebEnv({ gateways: 2 });
const people: Person[] = [];
let alice: Person;
let bob: Person;
let carol: Person;

// a failure leaves each page's screenshot and what its console reported (the "bob sees the edit"
// step has failed rarely under load; this is what to look at when it does)
const step = scenarioSteps(async () => {
  for (const p of people) console.log(`${p.name} at failure: ${await p.shot('failure').catch(() => 'no screenshot')} ${p.page.url()}; page problems: ${p.problems.join(' | ') || 'none'}`);
});

async function until(what: string, cond: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function register(p: Person, password = `${p.name}-password`): Promise<void> {
  await p.page.getByRole('button', { name: 'Create an account' }).click();
  await p.page.getByLabel('Name').fill(p.name);
  await p.page.getByLabel('Password').fill(password);
  await p.page.getByRole('button', { name: 'Create account' }).click();
  await p.page.getByTestId('me').filter({ hasText: p.name }).waitFor();
}

const bodies = (page: Page) => page.locator('[data-testid="messages"] [data-testid="message-body"]').allTextContents();
const composer = (page: Page) => page.getByLabel('Message', { exact: true });

async function say(p: Person, text: string): Promise<void> {
  await composer(p.page).fill(text);
  await composer(p.page).press('Enter');
}

async function openChat(p: Person, title: string): Promise<void> {
  await p.page.getByTestId('tab-chats').click();
  await p.page.locator(`.conv[aria-label^="${title}"]`).click();
  await p.page.getByTestId('conversation-title').filter({ hasText: title }).waitFor();
}

/** The unread badge of a conversation in the list (0 without one). */
async function unreadOf(page: Page, title: string): Promise<number> {
  const badge = page.locator(`.conv[aria-label^="${title}"] [data-testid="unread"]`);
  return (await badge.count()) ? Number(await badge.textContent()) : 0;
}

/** What the server says (rooms.list through a protocol client of the same user). */
async function serverUnread(p: Person, title: string): Promise<number> {
  const c = await env.sys.client({ device: { type: 'bot' } });
  try {
    await c.login(p.name, `${p.name}-password`);
    const { conversations } = await c.request('rooms.list', {});
    return conversations.find((x) => x.room.name === title)?.unread ?? -1;
  } finally {
    await c.close();
  }
}

async function hasBody(page: Page, text: string): Promise<boolean> {
  return (await bodies(page)).some((b) => b.startsWith(text));
}

step('sign-up errors are clear: a weak password, a taken name, a wrong password', async () => {
  alice = await env.person('alice', 0);
  bob = await env.person('bob', 1);
  carol = await env.person('carol', 0, { width: 375, height: 740 });
  people.push(alice, bob, carol);
  await alice.shot('sign-in');
  await register(alice);
  // bob first tries a short password, then alice's name
  await bob.page.getByRole('button', { name: 'Create an account' }).click();
  await bob.page.getByLabel('Name').fill('bob');
  await bob.page.getByLabel('Password').fill('short');
  await bob.page.getByRole('button', { name: 'Create account' }).click();
  await bob.page.getByRole('alert').filter({ hasText: 'at least 8 characters' }).waitFor();
  await bob.page.getByLabel('Name').fill('alice');
  await bob.page.getByLabel('Password').fill('long-enough-password');
  await bob.page.getByRole('button', { name: 'Create account' }).click();
  await bob.page.getByRole('alert').filter({ hasText: 'That name is taken' }).waitFor();
  await bob.shot('name-taken');
  await bob.page.getByRole('button', { name: 'Sign in' }).last().click();
  await bob.page.getByLabel('Name').fill('alice');
  await bob.page.getByLabel('Password').fill('not-her-password');
  await bob.page.getByRole('button', { name: 'Sign in' }).first().click();
  await bob.page.getByRole('alert').filter({ hasText: 'Wrong name or password' }).waitFor();
  await register(bob);
  await register(carol);
});

step('friends: a request by search, accepted; presence shows online', async () => {
  await alice.page.getByTestId('tab-people').click();
  await alice.page.getByLabel('Find people by name').fill('bo');
  await alice.page.locator('li[data-user="bob"]').getByRole('button', { name: 'Add friend' }).click();
  await alice.page.getByLabel('Find people by name').fill('');
  await alice.page.getByRole('region', { name: 'Sent requests' }).locator('li[data-user="bob"]').waitFor();
  // bob is told (a badge on People) and accepts
  await bob.page.getByTestId('tab-people').getByText('1').waitFor();
  await bob.page.getByTestId('tab-people').click();
  await bob.shot('friend-request');
  await bob.page.getByRole('region', { name: 'Friend requests' }).locator('li[data-user="alice"]').getByRole('button', { name: 'Accept' }).click();
  await alice.page.getByRole('region', { name: 'Friends' }).locator('li[data-user="bob"]', { hasText: 'online' }).waitFor();
  await alice.shot('people');
  await carol.page.getByTestId('tab-people').click();
  await carol.page.getByLabel('Find people by name').fill('alice');
  await carol.page.locator('li[data-user="alice"]').getByRole('button', { name: 'Add friend' }).click();
  await carol.page.getByLabel('Find people by name').fill('');
  await alice.page.getByRole('region', { name: 'Friend requests' }).locator('li[data-user="carol"]').getByRole('button', { name: 'Accept' }).click();
  await carol.page.getByRole('region', { name: 'Friends' }).locator('li[data-user="alice"]', { hasText: 'online' }).waitFor();
  await carol.shot('people-phone');
});

step('direct messages: pending then confirmed, unread counts, typing, read receipts', async () => {
  await alice.page.getByRole('region', { name: 'Friends' }).locator('li[data-user="bob"]').getByRole('button', { name: 'Message' }).click();
  await alice.page.getByTestId('conversation-title').filter({ hasText: 'bob' }).waitFor();
  await say(alice, 'hi bob, see https://example.com/docs?x=1.');
  // shown at once, then confirmed with its seq (the same row)
  await alice.page.locator('[data-testid="message"][data-seq="1"]').waitFor();
  await say(alice, 'second line\nwith a break');
  // bob: the conversation arrives with its unread count, live
  const conv = bob.page.locator('.conv', { hasText: 'alice' });
  await bob.page.getByTestId('tab-chats').click();
  await conv.locator('[data-testid="unread"]').filter({ hasText: '2' }).waitFor();
  await bob.shot('unread');
  await conv.click();
  await until('bob sees both', async () => (await bodies(bob.page)).length === 2);
  const link = bob.page.locator('[data-testid="message-body"] a');
  assert.is(await link.getAttribute('href'), 'https://example.com/docs?x=1');
  assert.is(await link.getAttribute('rel'), 'noopener noreferrer');
  assert.is(await link.getAttribute('target'), '_blank');
  assert.equal((await bodies(bob.page))[1], 'second line\nwith a break');
  // opening it moved bob's read cursor: alice's last message says so, and the badge is gone
  await alice.page.getByTestId('seen').filter({ hasText: 'Seen' }).waitFor();
  await until('bob\'s badge clears', async () => (await conv.locator('[data-testid="unread"]').count()) === 0);
  // typing
  await composer(bob.page).pressSequentially('hel', { delay: 30 });
  await alice.page.getByTestId('typing').filter({ hasText: 'bob is typing' }).waitFor();
  await composer(bob.page).pressSequentially('lo alice', { delay: 10 });
  await composer(bob.page).press('Enter');
  await until('alice sees bob\'s answer', () => hasBody(alice.page, 'hello alice'));
  await until('the typing line clears with his message', async () => (await alice.page.getByTestId('typing').textContent()) === '');
  // Shift+Enter is a new line, not a send
  await composer(alice.page).fill('one');
  await composer(alice.page).press('Shift+Enter');
  await composer(alice.page).pressSequentially('two');
  assert.is(await composer(alice.page).inputValue(), 'one\ntwo');
  await composer(alice.page).press('Enter');
  await until('bob gets the two-line message', () => hasBody(bob.page, 'one\ntwo'));
  await alice.shot('direct');
});

step('edit and recall your own message; everyone sees it', async () => {
  const mine = alice.page.locator('[data-testid="message"]', { hasText: 'one' }).last();
  await mine.hover();
  await mine.getByRole('button', { name: 'Edit message' }).click();
  await alice.page.getByRole('textbox', { name: 'Edit message' }).fill('one, edited');
  await alice.page.getByRole('textbox', { name: 'Edit message' }).press('Enter');
  await until('bob sees the edit', async () => (await bodies(bob.page)).some((b) => b.startsWith('one, edited') && b.includes('(edited)')));
  const first = alice.page.locator('[data-testid="message"][data-seq="2"]');
  await first.hover();
  await first.getByRole('button', { name: 'Delete message' }).click();
  await alice.page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await until('bob sees it deleted', async () => (await bodies(bob.page)).includes('Message deleted'));
});

step('a group with a third person: created, seen live, read receipts by name, members with roles', async () => {
  await alice.page.getByTestId('tab-chats').click();
  await alice.page.getByRole('button', { name: 'New room' }).click();
  const dialog = alice.page.getByRole('dialog', { name: 'New room' });
  await dialog.getByTestId('new-room-name').fill('Project');
  await dialog.getByLabel('Find people to add').fill('bob');
  await dialog.locator('button.pick[data-user="bob"]').click();
  await dialog.getByLabel('Find people to add').fill('car');
  await dialog.locator('button.pick[data-user="carol"]').click();
  await alice.shot('new-room');
  await dialog.getByRole('button', { name: 'Create room' }).click();
  await alice.page.getByTestId('conversation-title').filter({ hasText: 'Project' }).waitFor();
  await say(alice, 'welcome to the project');
  // bob and carol (on a phone) see the room appear and the message
  await bob.page.locator('.conv', { hasText: 'Project' }).waitFor();
  await openChat(bob, 'Project');
  await carol.page.getByTestId('tab-chats').click();
  await carol.page.locator('.conv', { hasText: 'Project' }).waitFor();
  await carol.shot('list-phone');
  await openChat(carol, 'Project');
  await until('carol sees it', () => hasBody(carol.page, 'welcome to the project'));
  await carol.shot('group-phone');
  await alice.page.getByTestId('seen').filter({ hasText: /Seen by (bob, carol|carol, bob)/ }).waitFor();
  await say(carol, 'hi from my phone');
  await until('alice and bob see carol', async () => (await hasBody(alice.page, 'hi from my phone')) && (await hasBody(bob.page, 'hi from my phone')));
  // read as it arrived, since alice is looking at the room: no unread count, here or on the server
  await until('alice has read it', async () => (await unreadOf(alice.page, 'Project')) === 0 && (await serverUnread(alice, 'Project')) === 0);
  // members: roles and online state; Escape closes the dialog
  await alice.page.getByRole('button', { name: 'Room details and members' }).click();
  const members = alice.page.getByTestId('members');
  await members.locator('[data-user="alice"][data-role="owner"]', { hasText: 'owner' }).waitFor();
  await members.locator('[data-user="bob"]').getByRole('button', { name: 'Make admin' }).click();
  await members.locator('[data-user="bob"][data-role="admin"]').getByRole('button', { name: 'Remove admin' }).waitFor();
  await alice.shot('room-details');
  await alice.page.keyboard.press('Escape');
  await until('the dialog closes', async () => (await alice.page.getByRole('dialog').count()) === 0);
});

step('a long conversation: older history loads on scroll-up, and only a window of it is in the page', async () => {
  const room = (await alice.page.locator('.conv[aria-label^="Project"]').getAttribute('data-room'))!;
  const writer = await env.sys.client({ device: { type: 'bot' } });
  try {
    await writer.login('carol', 'carol-password');
    // 25 at a time: a connection may have 32 requests unanswered
    for (let i = 1; i <= 450; i += 25) {
      await Promise.all(Array.from({ length: 25 }, (_, j) => writer.request('chat.send', { room, clientMsgId: `bulk-${i + j}`, body: `bulk message ${i + j}` })));
    }
    await longConversation(room, writer);
  } finally {
    await writer.close();
  }
});

async function longConversation(room: string, writer: Awaited<ReturnType<typeof env.sys.client>>): Promise<void> {
  await openChat(bob, 'Project');
  await until('bob has the newest', () => hasBody(bob.page, 'bulk message 450'), 60_000);
  const list = bob.page.getByTestId('messages');
  // scroll up until the room's first entry is there: the pages before come in as the top nears
  await until('the beginning is loaded', async () => {
    await list.evaluate((el) => { el.scrollTop = 0; });
    return (await list.textContent())!.includes('This is the beginning of the conversation.');
  }, 30_000);
  // the view keeps its place when a page lands above it; at the top once more, the first entry shows
  await until('the first entry is in view', async () => {
    await list.evaluate((el) => { el.scrollTop = 0; });
    return bob.page.getByText('alice created the room “Project”').isVisible();
  });
  const inPage = await bob.page.locator('[data-testid="message"]').count();
  assert.ok(inPage < 100, `${inPage} message rows in the page for 450+ messages: the list is windowed`);
  // scrolled up, a new message does not pull the view down (the list says it came)
  await writer.request('chat.send', { room, clientMsgId: 'bulk-451', body: 'bulk message 451' });
  await until('bob is told of it', async () => ((await bob.page.locator(`.conv[data-room="${room}"]`).textContent()) ?? '').includes('bulk message 451'));
  assert.ok(await bob.page.getByText('alice created the room “Project”').isVisible(), 'the view stayed at the top');
  await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await until('the newest is back in view', () => hasBody(bob.page, 'bulk message 451'));
  const firstSeq = Number(await bob.page.locator('[data-testid="message"]').first().getAttribute('data-seq'));
  assert.ok(firstSeq > 300, 'rows far above are gone from the page');
  // at the bottom, new messages keep the view there, a burst of them too
  await Promise.all(Array.from({ length: 25 }, (_, j) => writer.request('chat.send', { room, clientMsgId: `burst-${j}`, body: `burst message ${j}` })));
  await until('the view followed the burst', () => hasBody(bob.page, 'burst message 24'));
  await bob.shot('followed-burst');
}

step('files: an image shows as a preview, a video plays and seeks; a too-large upload fails and loses nothing', async () => {
  await openChat(alice, 'bob');
  await openChat(bob, 'alice');
  await alice.page.getByTestId('file-input').setInputFiles([{ name: 'stripes.png', mimeType: 'image/png', buffer: pngImage(240, 160) }]);
  await until('bob sees the image', async () => {
    const img = bob.page.locator('[data-testid="image-preview"]').last();
    return (await img.count()) > 0 && (await img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 240));
  });
  await alice.page.getByTestId('file-input').setInputFiles([{ name: 'clip.webm', mimeType: 'video/webm', buffer: tinyWebm() }]);
  const video = bob.page.locator('[data-testid="video"]').last();
  await video.waitFor();
  await video.scrollIntoViewIfNeeded();
  const played = await video.evaluate(async (el) => {
    const v = el as HTMLVideoElement;
    v.muted = true;
    await v.play();
    await new Promise((r) => setTimeout(r, 700));
    const t1 = v.currentTime;
    v.pause();
    await new Promise<void>((r) => {
      v.addEventListener('seeked', () => r(), { once: true });
      v.currentTime = 2;
    });
    return { t1, afterSeek: v.currentTime, duration: v.duration, error: v.error?.code ?? null };
  });
  assert.is(played.error, null);
  assert.ok(played.t1 > 0, `it played (currentTime ${played.t1})`);
  assert.ok(Math.abs(played.afterSeek - 2) < 0.3, `it seeked to 2 s (at ${played.afterSeek})`);
  assert.ok(Math.abs(played.duration - 3) < 0.3, `duration ${played.duration}`);
  await bob.shot('media');
  // any other file: a download link to the storage node
  await alice.page.getByTestId('file-input').setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('bring a rain jacket\n') }]);
  const card = bob.page.locator('a.file-card', { hasText: 'notes.txt' });
  await card.waitFor();
  assert.ok((await card.getAttribute('href'))!.startsWith(`${env.storage.url}/files/`), 'straight from the storage node');
  assert.is(await card.getAttribute('rel'), 'noopener noreferrer');
  assert.is(await (await fetch((await card.getAttribute('href'))!)).text(), 'bring a rain jacket\n');
  // the lightbox: full size, Escape closes it
  await bob.page.locator('[data-testid="image-preview"]').last().click();
  await bob.page.getByRole('dialog', { name: 'stripes.png' }).waitFor();
  await bob.page.keyboard.press('Escape');
  // over the node's limit: the upload says why; what was sent stays
  const before = await bodies(alice.page);
  await alice.page.getByTestId('file-input').setInputFiles([{ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(5 * 1024 * 1024 + 1) }]);
  await alice.page.getByTestId('upload').getByRole('alert').filter({ hasText: /limit/ }).waitFor();
  assert.equal(await bodies(alice.page), before);
  await alice.shot('upload-failed');
  await alice.page.getByRole('button', { name: 'Dismiss big.bin' }).click();
});

step('an upload shows progress and can be cancelled: nothing is sent', async () => {
  const cdp = await alice.context.newCDPSession(alice.page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
  try {
    const before = await bodies(alice.page);
    await alice.page.getByTestId('file-input').setInputFiles([{ name: 'slow.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(3 * 1024 * 1024, 7) }]);
    const bar = alice.page.getByLabel('Uploading slow.bin');
    await until('the bar moves', async () => Number(await bar.getAttribute('value') ?? 0) > 0);
    await alice.shot('uploading');
    await alice.page.getByRole('button', { name: 'Cancel upload of slow.bin' }).click();
    await until('the upload is gone', async () => (await alice.page.getByTestId('upload').count()) === 0);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await bodies(alice.page), before, 'no message for a cancelled upload');
  } finally {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  }
});

step('alice\'s gateway restarts while bob sends 5 messages: her page moves to the other gateway and sees all 5 once, in order', async () => {
  await openChat(alice, 'bob');
  await openChat(bob, 'alice');
  await env.restartGateway(0, async () => {
    // the gateway that served her page is gone: the page's WebSocket moves to the other one
    // (its origin is accepted there, the CSP names it) and catches up, while this one is down
    for (let i = 1; i <= 5; i++) {
      await say(bob, `while you were away ${i}`);
      await bob.page.locator('[data-testid="message"]', { hasText: `while you were away ${i}` }).waitFor();
    }
    await until('alice has all five while her gateway is down', async () => (await bodies(alice.page)).filter((b) => b.startsWith('while you were away')).length >= 5, 30_000);
    await say(alice, 'written through the other gateway');
    await until('bob gets it', () => hasBody(bob.page, 'written through the other gateway'));
    await alice.shot('moved');
  });
  await until('her message went out once', async () => (await bodies(bob.page)).filter((b) => b === 'written through the other gateway').length === 1);
  await until('and is confirmed on her side', async () => (await alice.page.getByTestId('pending').count()) === 0);
  await until('no banner', async () => (await alice.page.getByTestId('connection-banner').count()) === 0);
  const away = (await bodies(alice.page)).filter((b) => b.startsWith('while you were away'));
  assert.equal(away, [1, 2, 3, 4, 5].map((i) => `while you were away ${i}`), 'once each, in order');
});

step('offline: with every gateway down a banner says so; messages written meanwhile wait as pending and go out once when back', async () => {
  // both gateways restart at once: nobody can reach the system for a while
  await env.restartGateway(0, () => env.restartGateway(1, async () => {
    await alice.page.getByTestId('connection-banner').waitFor();
    await alice.shot('offline');
    await say(alice, 'written while offline');
    await alice.page.getByTestId('pending').filter({ hasText: 'written while offline' }).waitFor();
    await bob.page.getByTestId('connection-banner').waitFor();
    await say(bob, 'bob wrote this offline');
    await bob.page.getByTestId('pending').filter({ hasText: 'bob wrote this offline' }).waitFor();
  }));
  await until('her offline message reached bob once', async () => (await bodies(bob.page)).filter((b) => b === 'written while offline').length === 1, 30_000);
  await until('his reached her once', async () => (await bodies(alice.page)).filter((b) => b === 'bob wrote this offline').length === 1, 30_000);
  for (const p of [alice, bob]) {
    await until(`${p.name}: nothing pending, no banner`, async () => (await p.page.getByTestId('pending').count()) === 0 && (await p.page.getByTestId('connection-banner').count()) === 0);
  }
  assert.is((await bodies(alice.page)).filter((b) => b === 'written while offline').length, 1);
  await say(alice, 'back again');
  await until('bob sees it', () => hasBody(bob.page, 'back again'));
});

step('markup in a message is shown as text', async () => {
  let dialogs = 0;
  alice.page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  const evil = '<img src=x onerror=alert(1)> <b>bold?</b>';
  await say(bob, evil);
  await until('alice gets it', () => hasBody(alice.page, evil));
  const body = alice.page.locator('[data-testid="message-body"]', { hasText: '<img src=x' }).last();
  assert.is(await body.textContent(), evil);
  assert.is(await body.locator('img, b').count(), 0, 'no element was made from it');
  await new Promise((r) => setTimeout(r, 300));
  assert.is(dialogs, 0);
});

step('my files: list, then delete', async () => {
  await alice.page.getByTestId('tab-files').click();
  const table = alice.page.getByTestId('files');
  await table.locator('tr', { hasText: 'stripes.png' }).waitFor();
  await table.locator('tr', { hasText: 'clip.webm' }).waitFor();
  await alice.shot('files');
  await table.getByRole('button', { name: 'Delete clip.webm' }).click();
  await alice.page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await until('it is gone', async () => (await table.locator('tr', { hasText: 'clip.webm' }).count()) === 0);
  await alice.page.getByTestId('tab-chats').click();
});

step('rooms: rename and open one, remove someone (told at once), who finds it and joins again; leave', async () => {
  await openChat(alice, 'Project');
  await openChat(bob, 'Project');
  await alice.page.getByRole('button', { name: 'Room details and members' }).click();
  const details = alice.page.getByRole('dialog', { name: 'Room details' });
  await details.getByTestId('room-name').fill('Project X');
  await details.getByRole('button', { name: 'Rename' }).click();
  // the box shows the room's state as the server has it: it turns checked once the change is back
  const open = details.getByRole('checkbox', { name: /Open room/ });
  await open.click();
  await until('the room is open', () => open.isChecked());
  await bob.page.getByTestId('conversation-title').filter({ hasText: 'Project X' }).waitFor();
  await details.getByTestId('members').locator('[data-user="carol"]').getByRole('button', { name: 'Remove' }).click();
  await carol.page.getByText('You were removed from Project X.').waitFor();
  await until('the room leaves carol\'s list', async () => (await carol.page.locator('.conv[aria-label^="Project"]').count()) === 0);
  await alice.page.keyboard.press('Escape');
  await carol.page.getByRole('button', { name: 'Browse rooms' }).click();
  const browse = carol.page.getByRole('dialog', { name: 'Browse open rooms' });
  await browse.getByLabel('Room name starts with').fill('Proj');
  await browse.locator('.room-card', { hasText: 'Project X' }).getByRole('button', { name: 'Join' }).click();
  await carol.page.getByTestId('conversation-title').filter({ hasText: 'Project X' }).waitFor();
  await alice.page.locator('.system', { hasText: 'carol joined' }).waitFor();
  await bob.page.getByRole('button', { name: 'Room details and members' }).click();
  await bob.page.getByRole('dialog', { name: 'Room details' }).getByRole('button', { name: 'Leave room' }).click();
  await bob.page.getByRole('dialog', { name: 'Leave this room?' }).getByRole('button', { name: 'Leave' }).click();
  await until('the room leaves bob\'s list', async () => (await bob.page.locator('.conv[aria-label^="Project"]').count()) === 0);
  await alice.page.locator('.system', { hasText: 'bob left' }).waitFor();
});

step('people: a request declined; a block stops messages (the send is refused and can be retried), an unblock lets them through', async () => {
  await bob.page.getByTestId('tab-people').click();
  await bob.page.getByLabel('Find people by name').fill('carol');
  await bob.page.locator('li[data-user="carol"]').getByRole('button', { name: 'Add friend' }).click();
  await bob.page.getByLabel('Find people by name').fill('');
  await carol.page.getByRole('button', { name: 'Back to conversations' }).click();
  await carol.page.getByTestId('tab-people').click();
  await carol.page.getByRole('region', { name: 'Friend requests' }).locator('li[data-user="bob"]').getByRole('button', { name: 'Decline' }).click();
  await until('bob\'s request is gone', async () => (await bob.page.getByRole('region', { name: 'Sent requests' }).count()) === 0);
  await alice.page.getByTestId('tab-people').click();
  await alice.page.getByRole('region', { name: 'Friends' }).locator('li[data-user="bob"]').getByRole('button', { name: 'Block' }).click();
  await alice.page.getByRole('region', { name: 'Blocked' }).locator('li[data-user="bob"]').waitFor();
  await openChat(bob, 'alice');
  await say(bob, 'are you there?');
  const failed = bob.page.getByTestId('pending').filter({ hasText: 'are you there?' });
  await failed.getByRole('alert').filter({ hasText: 'Not sent' }).waitFor();
  await bob.shot('not-sent');
  await alice.page.getByRole('region', { name: 'Blocked' }).locator('li[data-user="bob"]').getByRole('button', { name: 'Unblock' }).click();
  await until('the block is lifted', async () => (await alice.page.getByRole('region', { name: 'Blocked' }).count()) === 0);
  await openChat(alice, 'bob');
  // the unblock reaches the conversation a moment after alice's answer: retry until it goes out
  await until('alice gets it once', async () => {
    const retry = failed.getByRole('button', { name: 'Retry' });
    if (await retry.count()) await retry.click();
    return (await bodies(alice.page)).filter((b) => b === 'are you there?').length === 1;
  });
  assert.is(await failed.count(), 0, 'no longer pending at bob');
});

step('a reload resumes the session; a newer sign-in elsewhere stops this tab; sign out ends it', async () => {
  await alice.page.reload();
  await alice.page.getByTestId('me').filter({ hasText: 'alice' }).waitFor();
  await alice.page.locator('.conv', { hasText: 'Project' }).waitFor();
  assert.is(await unreadOf(alice.page, 'Project'), 0, 'what she read stays read');
  // alice signs in in another browser: this tab is told, and stays stopped
  const other = await env.person('alice2', 1);
  people.push(other);
  await other.page.getByLabel('Name').fill('alice');
  await other.page.getByLabel('Password').fill('alice-password');
  await other.page.getByRole('button', { name: 'Sign in' }).first().click();
  await other.page.getByTestId('me').filter({ hasText: 'alice' }).waitFor();
  await alice.page.getByTestId('kicked').waitFor();
  await alice.shot('kicked');
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(await other.page.getByTestId('me').isVisible(), 'the newer session is left alone');
  await other.page.getByRole('button', { name: 'Sign out' }).click();
  await other.page.getByRole('button', { name: 'Sign in' }).first().waitFor();
  await other.page.reload();
  await other.page.getByRole('button', { name: 'Sign in' }).first().waitFor();
  assert.is(await other.page.getByTestId('me').count(), 0, 'signed out stays signed out');
});

test('no page reported a script error or a CSP violation', () => {
  for (const p of people) assert.equal(p.problems, [], `${p.name}'s page`);
  console.log(`screenshots in ${env.dir}`);
});

test.after(async () => {
  await env.stop();
});

test.run();
