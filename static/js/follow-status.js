// Following background work from a page: every 2 seconds ask a status URL (JSON) how far it
// has got and hand the answer to `show`, until `working(state)` says it has finished. A
// dropped connection or a restarting server is tried again on the next tick.

const EVERY_MS = 2000;

export function followStatus(url, { show, working }) {
  async function poll() {
    let state;
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      state = await response.json();
    } catch {
      window.setTimeout(poll, EVERY_MS);
      return;
    }
    show(state);
    if (working(state)) window.setTimeout(poll, EVERY_MS);
  }
  window.setTimeout(poll, EVERY_MS);
}
