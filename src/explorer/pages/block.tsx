/** One block: its roots, fees and transactions (public data only). */
import type { indexedBlock } from "../../api/routes/blocks.ts";
import { sero } from "../format.ts";
import { Field, Page, PrivacyNote, Table } from "../layout.tsx";
import { TxLink, TxStatusBadge } from "../links.tsx";

type Found = NonNullable<Awaited<ReturnType<typeof indexedBlock>>>;

export function BlockPage(props: { found: Found; tip: number }) {
  const { block, transactions } = props.found;
  return (
    <Page title={`Block ${block.height}`}>
      <PrivacyNote />
      <nav aria-label="Neighbouring blocks">
        <p>
          {block.height > 0 ? <a href={`/block/${block.height - 1}`}>← Block {block.height - 1}</a> : null}
          {block.height > 0 && block.height < props.tip ? " · " : null}
          {block.height < props.tip ? <a href={`/block/${block.height + 1}`}>Block {block.height + 1} →</a> : null}
        </p>
      </nav>
      <dl class="fields">
        <Field name="Height">{block.height}</Field>
        <Field name="Transactions">{block.txCount}</Field>
        <Field name="Fees">{sero(block.fees)}</Field>
        <Field name="State root">
          <code>{block.stateRoot}</code>
        </Field>
        <Field name="Tree root (anchor)">
          <code>{block.anchor}</code>
        </Field>
      </dl>
      <h2>Transactions</h2>
      {transactions.length === 0 ? (
        <p class="muted">No transactions.</p>
      ) : (
        <Table caption={`Transactions of block ${block.height}`} head={["#", "Transaction", "Status", "Kind"]}>
          {transactions.map((t) => (
            <tr>
              <td>{t.position}</td>
              <td>
                <TxLink id={t.id} />
              </td>
              <td>
                <TxStatusBadge status={t.status} code={t.code} />
              </td>
              <td>{t.kind ?? "undecodable"}</td>
            </tr>
          ))}
        </Table>
      )}
    </Page>
  );
}
