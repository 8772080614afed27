/** A nullifier: whether it is spent, and where (PROTOCOL.md §6). */
import type { nullifierSpend } from "../../api/routes/nullifiers.ts";
import { Field, Page, PrivacyNote } from "../layout.tsx";
import { BlockLink, TxLink } from "../links.tsx";

export function NullifierPage(props: { nf: string; spend: Awaited<ReturnType<typeof nullifierSpend>> }) {
  const { spend } = props;
  return (
    <Page title="Nullifier">
      <PrivacyNote />
      <dl class="fields">
        <Field name="Nullifier">
          <code>{props.nf}</code>
        </Field>
        {spend ? (
          <>
            <Field name="Spent at">
              block <BlockLink height={spend.height} />
            </Field>
            <Field name="By">
              <TxLink id={spend.txId} full />
            </Field>
          </>
        ) : (
          <Field name="Status">not spent in any committed block</Field>
        )}
      </dl>
      <p class="muted">A nullifier reveals which note was spent to nobody but its owner.</p>
    </Page>
  );
}
