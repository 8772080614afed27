/**
 * The home page's only script, inline so it comes from this Worker and no
 * other host. Every POLL_MS it fetches GET /live (the same server-rendered
 * fragment) and swaps it in, unless keyboard focus is inside it. Blocks carry
 * no timestamp (PROTOCOL.md §8), so "since last block" and tx/s are measured
 * by this page: from when it first saw each height, over up to WINDOW_MS.
 */
const POLL_MS = 2000;
const WINDOW_MS = 5 * 60_000;

export const LIVE_SCRIPT = `(() => {
  const POLL_MS = ${POLL_MS}, WINDOW_MS = ${WINDOW_MS};
  const opened = Date.now();
  const firstSeen = new Map();
  let tip = -1, tipSeenAt = null, loaded = false;
  const live = () => document.getElementById("live");
  const conn = document.getElementById("conn");

  function observe(section) {
    const now = Date.now();
    const height = Number(section.dataset.height);
    if (height > tip) { if (loaded) tipSeenAt = now; tip = height; }
    for (const row of section.querySelectorAll("tr[data-committed]")) {
      const h = Number(row.dataset.height);
      if (!firstSeen.has(h)) firstSeen.set(h, { at: loaded ? now : null, txs: Number(row.dataset.committed) });
    }
    loaded = true;
  }

  function seconds(ms) { return Math.max(0, Math.round(ms / 1000)); }

  function render() {
    const section = live();
    const now = Date.now();
    const since = section.querySelector("#since");
    since.textContent = tipSeenAt === null ? "≥ " + seconds(now - opened) + " s" : seconds(now - tipSeenAt) + " s";
    const span = Math.min(WINDOW_MS, now - opened);
    let txs = 0;
    for (const seen of firstSeen.values()) if (seen.at !== null && now - seen.at <= WINDOW_MS) txs += seen.txs;
    section.querySelector("#tps").textContent =
      span < 5000 ? "measuring…" : (txs / (span / 1000)).toFixed(2) + " over " + seconds(span) + " s";
  }

  async function poll() {
    try {
      const res = await fetch("/live", { headers: { accept: "text/html" }, cache: "no-store" });
      if (!res.ok) throw new Error(String(res.status));
      const holder = document.createElement("div");
      holder.innerHTML = await res.text();
      const next = holder.querySelector("#live");
      const current = live();
      if (next && !current.contains(document.activeElement)) {
        current.replaceWith(next);
        observe(next);
      }
      conn.textContent = "Live: updated " + new Date().toLocaleTimeString() + ".";
    } catch (e) {
      conn.textContent = "Live updates paused: the node did not answer (" + e.message + "); retrying.";
    }
    render();
    setTimeout(poll, POLL_MS);
  }

  observe(live());
  render();
  setInterval(render, 1000);
  setTimeout(poll, POLL_MS);
})();`;
