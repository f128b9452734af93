import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);

// ops/chromium.ts
import { spawnSync } from "node:child_process";
import { chromium } from "playwright-core";
function chromiumPath() {
  const r = spawnSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" });
  const p = r.stdout.trim().split("\n")[0];
  return r.status === 0 && p ? p : null;
}
function ensureChromium(say = (m) => console.log(m)) {
  const found = chromiumPath();
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status !== 0) {
    throw new Error("chromium is not installed and we cannot install it: run  sudo apt-get install chromium fonts-dejavu-core");
  }
  say("chromium is missing; installing it with apt-get ...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium", "fonts-dejavu-core"], { stdio: "inherit", env });
  let r = install();
  if (r.status !== 0) {
    spawnSync("apt-get", ["update"], { stdio: "inherit", env });
    r = install();
  }
  const now = chromiumPath();
  if (r.status !== 0 || !now) throw new Error("apt-get could not install chromium; install the Debian package chromium");
  return now;
}
function launchChromium(opts = {}) {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("chromium is not installed (npm test installs it when root; else: sudo apt-get install chromium)");
  return chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--autoplay-policy=${opts.autoplayNeedsClick ? "document-user-activation-required" : "no-user-gesture-required"}`]
  });
}

export {
  ensureChromium,
  launchChromium
};
