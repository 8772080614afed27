/** The page for a request the explorer cannot answer: bad input (400), nothing there (404), or a node fault. */
import { Page } from "../layout.tsx";

export function ErrorPage(props: { status: number; code: string; message: string; query?: string }) {
  return (
    <Page
      title={props.status === 404 ? "Not found" : props.status === 400 ? "Bad request" : "Unavailable"}
      {...(props.query === undefined ? {} : { query: props.query })}
    >
      <p>{props.message}</p>
      <p class="muted">
        Code <code>{props.code}</code>. <a href="/">Back to the overview</a>
      </p>
    </Page>
  );
}
