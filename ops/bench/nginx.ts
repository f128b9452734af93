// nginx as the storage benchmark's baseline: Debian's package, a config of our own under the
// benchmark's work dir (sendfile on, access log off, WebDAV PUT for uploads), run in the
// foreground as our child and stopped with it.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface Nginx {
  url: string;
  version: string;
  root: string;
  stop(): Promise<void>;
}

export function findNginx(): string | null {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) if (fs.existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return r.stdout.trim() || null;
}

/** nginx, installed with apt-get when it is missing and we are root; otherwise null and why. */
export function ensureNginx(say: (text: string) => void): { bin: string } | { missing: string } {
  const found = findNginx();
  if (found) return { bin: found };
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !fs.existsSync('/usr/bin/apt-get')) return { missing: 'nginx is not installed; install it with: sudo apt-get install nginx' };
  say('nginx is missing; installing the Debian package with apt-get ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  }
  const bin = findNginx();
  return bin ? { bin } : { missing: 'apt-get could not install nginx; install it with: sudo apt-get install nginx' };
}

export function nginxConf(dir: string, port: number): string {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return `# Written by \`troupe bench storage\`: the baseline the storage node is measured against.
daemon off;
master_process on;
worker_processes auto;
${root ? 'user root;\n' : ''}pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  default_type application/octet-stream;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    client_max_body_size 0;
    location / {
      # uploads the way a plain web server takes them: WebDAV PUT into the document root
      dav_methods PUT DELETE;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
    }
  }
}
`;
}

export async function startNginx(bin: string, dir: string, port: number): Promise<Nginx> {
  fs.mkdirSync(path.join(dir, 'www'), { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, nginxConf(dir, port));
  const version = spawnSync(bin, ['-v'], { encoding: 'utf8' }).stderr.trim().replace(/^nginx version: /, '');
  const child: ChildProcess = spawn(bin, ['-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const kill = () => child.kill('SIGKILL');
  process.on('exit', kill);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr.trim() || `see ${dir}/error.log`}`);
    const up = await fetch(`${url}/`).then(() => true, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer within 10 s: ${stderr.trim()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, version, root: path.join(dir, 'www'),
    async stop() {
      process.off('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      // QUIT: graceful; the master waits for its workers
      child.kill('SIGQUIT');
      const timer = setTimeout(kill, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
