/** The explorer's whole stylesheet: system fonts, one accent, tables that scroll sideways on a phone. */
export const STYLESHEET = `
:root { --fg: #1d232b; --muted: #5b6673; --line: #dde2e8; --bg: #f6f7f9; --card: #fff; --accent: #1f5fbf; --warn: #a33a00; --warn-bg: #fff1e6; --ok: #1f7a3d; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #f2b705; outline-offset: 2px; }
header { background: #13233a; color: #fff; padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
header search { display: contents; }
header form { display: flex; flex: 1 1 16rem; gap: .4rem; max-width: 36rem; }
header input { flex: 1; min-width: 0; padding: .45rem .6rem; border: 0; border-radius: 4px; font: inherit; }
header button { padding: .45rem .8rem; border: 0; border-radius: 4px; background: #f2b705; color: #13233a; font: inherit; font-weight: 600; cursor: pointer; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.35rem; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.privacy { background: #eef3fb; border-left: 4px solid var(--accent); padding: .5rem .75rem; margin: 0 0 1rem; color: #243a5a; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; margin: 0 0 1rem; }
.stats div { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
.stats dt { color: var(--muted); font-size: .85rem; }
.stats dd { margin: 0; font-size: 1.25rem; font-weight: 600; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { color: var(--muted); font-weight: 600; font-size: .85rem; }
tr:last-child td { border-bottom: 0; }
td.wrap { white-space: normal; overflow-wrap: anywhere; }
tr.warn td { background: var(--warn-bg); }
dl.fields { display: grid; grid-template-columns: minmax(7rem, max-content) 1fr; gap: .35rem 1rem; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .75rem; margin: 0; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
ul.ids { list-style: none; padding: 0; margin: 0; }
ul.ids li { overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: .8rem; font-weight: 600; background: #e3f3e8; color: var(--ok); }
.badge.bad { background: var(--warn-bg); color: var(--warn); }
.muted { color: var(--muted); }
.chart { margin: 0; max-width: 48rem; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
.chart svg { width: 100%; height: auto; display: block; }
footer { max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: .85rem; }
.skip { position: absolute; left: -999px; top: .5rem; background: #fff; color: var(--fg); padding: .4rem .7rem; z-index: 1; }
.skip:focus { left: .5rem; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 600px) { dl.fields { grid-template-columns: 1fr; } dl.fields dd { margin-bottom: .4rem; } main { padding: .75rem; } }
`;
