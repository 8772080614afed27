/** The frame of every explorer page: search in the header, the stylesheet inline, no script but the home's. */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { STYLESHEET } from "./style.ts";

export function Page(props: { title: string; children: Child; script?: string; query?: string }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {/* No icon to fetch: the page asks the node for nothing but its pages. */}
          <link rel="icon" href="data:," />
          <title>{`${props.title} · SERO Edge explorer`}</title>
          <style dangerouslySetInnerHTML={{ __html: STYLESHEET }} />
        </head>
        <body>
          <a href="#main" class="skip">
            Skip to content
          </a>
          <header>
            <a href="/">SERO Edge explorer</a>
            <search>
              <form action="/search" method="get">
                <label for="q" class="sr-only">
                  Search by height, transaction id, nullifier, asset symbol or contract address
                </label>
                <input
                  id="q"
                  name="q"
                  type="search"
                  value={props.query ?? ""}
                  placeholder="Height, tx id, nullifier, symbol or address"
                  autocomplete="off"
                  spellcheck={false}
                />
                <button type="submit">Search</button>
              </form>
            </search>
          </header>
          <main id="main">
            <h1>{props.title}</h1>
            {props.children}
          </main>
          <footer>
            Public data only, read from this node's index. <a href="/openapi.json">API</a>
          </footer>
          {props.script === undefined ? null : <script dangerouslySetInnerHTML={{ __html: props.script }} />}
        </body>
      </html>
    </>
  );
}

/** The one line a page that could be expected to show a shielded note says instead (PROTOCOL.md §5). */
export function PrivacyNote() {
  return (
    <p class="privacy">
      Amounts, assets, owners and memos of shielded notes are never visible: the chain holds only their commitments and
      ciphertexts.
    </p>
  );
}

/** A table that scrolls sideways on a narrow screen, with a caption for screen readers. */
export function Table(props: { caption: string; head: string[]; children: Child }) {
  return (
    <div class="scroll">
      <table>
        <caption class="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

export function Field(props: { name: string; children: Child }) {
  return (
    <>
      <dt>{props.name}</dt>
      <dd>{props.children}</dd>
    </>
  );
}
