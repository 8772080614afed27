/**
 * The home page: the chain's tip, every validator, the newest blocks and
 * transactions. The live part is its own fragment (GET /live), which the
 * page's script fetches again every few seconds and swaps in.
 */
import type { Bindings } from "../../api/context.ts";
import { validatorStatuses } from "../../api/replicas.ts";
import type { HostedValidator, ValidatorStatus } from "../../api/validator-status.ts";
import { age, sero, shortHex } from "../format.ts";
import { Page, PrivacyNote, Table } from "../layout.tsx";
import { BlockLink, TxLink, TxStatusBadge } from "../links.tsx";
import { LIVE_SCRIPT } from "../live-script.ts";
import { recentBlocks, recentTransactions } from "../queries.ts";
import { type ValidatorFlag, validatorFlags } from "../validators.ts";

const RECENT = 10;

export async function liveData(env: Bindings) {
  // Replicas first: one that boots here indexes genesis before answering, so D1 is read after.
  const validators = await validatorStatuses(env);
  const [blocks, transactions] = await Promise.all([recentBlocks(env, RECENT), recentTransactions(env, RECENT)]);
  return { chainId: env.CHAIN_ID, validators, blocks, transactions };
}

type LiveData = Awaited<ReturnType<typeof liveData>>;

function ValidatorRow(props: { index: number; v: ValidatorStatus | null; flag: ValidatorFlag }) {
  const { v, flag } = props;
  const cls = flag === "ok" ? undefined : "warn";
  const badge = <span class={flag === "ok" ? "badge" : "badge bad"}>{flag}</span>;
  if (v === null) {
    return (
      <tr class={cls}>
        <td>{props.index}</td>
        <td>{badge}</td>
        <td colspan={6} class="muted">
          no answer
        </td>
      </tr>
    );
  }
  return (
    <tr class={cls} data-validator={props.index}>
      <td>{props.index}</td>
      <td>{badge}</td>
      <td>{v.height}</td>
      <td>{v.view}</td>
      <td>{v.hosted ? v.primary : "—"}</td>
      <td>{v.hosted ? <EpochCell epoch={v.epoch} /> : "—"}</td>
      <td class="mono" title={v.hosted ? v.stateRoot : undefined}>
        {v.hosted ? shortHex(v.stateRoot) : "—"}
      </td>
      <td>{v.hosted ? "now" : `${age(v.lastSeenMs)} ago`}</td>
    </tr>
  );
}

/**
 * SE-Random (docs/CONSENSUS.md §8): the epoch of a replica's next block and the beacon that drew its
 * primary, linked to that beacon's proofs (GET /v1/beacon/{epoch - 1}) once an epoch was sealed.
 */
function EpochCell(props: { epoch: HostedValidator["epoch"] }) {
  const e = props.epoch;
  if (e === null) {
    return <span class="muted">round-robin</span>;
  }
  const beacon = <span title={e.beacon}>{shortHex(e.beacon)}</span>;
  return (
    <span class="mono">
      {e.number} ({e.number === 0 ? beacon : <a href={`/v1/beacon/${e.number - 1}`}>{beacon}</a>})
    </span>
  );
}

/** The part of the home page that changes with every block. */
export function Live(props: { data: LiveData }) {
  const { validators, blocks, transactions } = props.data;
  const tip = blocks[0];
  const flags = validatorFlags(validators);
  return (
    <section id="live" aria-live="off" data-height={tip?.height ?? -1}>
      <dl class="stats">
        <div>
          <dt>Chain</dt>
          <dd>{props.data.chainId}</dd>
        </div>
        <div>
          <dt>Height</dt>
          <dd id="height">{tip?.height ?? "—"}</dd>
        </div>
        <div>
          <dt>Since last block</dt>
          <dd id="since">—</dd>
        </div>
        <div>
          <dt>Committed tx/s</dt>
          <dd id="tps">—</dd>
        </div>
      </dl>
      <h2>Validators</h2>
      <Table
        caption="Validators"
        head={["#", "State", "Height", "View", "Primary", "Epoch (beacon)", "State root", "Last seen"]}
      >
        {validators.map((v, i) => (
          <ValidatorRow index={i} v={v} flag={flags[i] ?? "ok"} />
        ))}
      </Table>
      <h2>Recent blocks</h2>
      <Table caption="Recent blocks" head={["Height", "Transactions", "Committed", "Fees", "State root"]}>
        {blocks.map((b) => (
          <tr data-height={b.height} data-committed={b.committed}>
            <td>
              <BlockLink height={b.height} />
            </td>
            <td>{b.txCount}</td>
            <td>{b.committed}</td>
            <td>{sero(b.fees)}</td>
            <td class="mono" title={b.stateRoot}>
              {shortHex(b.stateRoot)}
            </td>
          </tr>
        ))}
      </Table>
      <h2>Recent transactions</h2>
      <Table caption="Recent transactions" head={["Transaction", "Status", "Kind", "Block"]}>
        {transactions.map((t) => (
          <tr>
            <td>
              <TxLink id={t.id} />
            </td>
            <td>
              <TxStatusBadge status={t.status} code={t.code} />
            </td>
            <td>{t.kind ?? "undecodable"}</td>
            <td>
              <BlockLink height={t.height} />
            </td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

export function HomePage(props: { data: LiveData }) {
  return (
    <Page title="Chain overview" script={LIVE_SCRIPT}>
      <PrivacyNote />
      <Live data={props.data} />
      <p class="muted" id="conn" role="status">
        Live: this page refreshes itself every few seconds.
      </p>
    </Page>
  );
}
