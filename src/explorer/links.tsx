/** Links between explorer pages: every id on a page leads to its own page. */
import { shortHex } from "./format.ts";

export function BlockLink(props: { height: number }) {
  return <a href={`/block/${props.height}`}>{props.height}</a>;
}

export function TxLink(props: { id: string; full?: boolean }) {
  return (
    <a href={`/tx/${props.id}`} class="mono" title={props.id}>
      {props.full ? props.id : shortHex(props.id)}
    </a>
  );
}

export function NullifierLink(props: { nf: string }) {
  return (
    <a href={`/nullifier/${props.nf}`} class="mono">
      {props.nf}
    </a>
  );
}

export function AssetLink(props: { id: string; label?: string }) {
  return (
    <a href={`/asset/${props.id}`} class={props.label === undefined ? "mono" : undefined} title={props.id}>
      {props.label ?? shortHex(props.id)}
    </a>
  );
}

export function ContractLink(props: { address: string }) {
  return (
    <a href={`/contract/${props.address}`} class="mono">
      {props.address}
    </a>
  );
}

/** A transaction's status as a badge: rejected ones with the ledger's stable code. */
export function TxStatusBadge(props: { status: string; code: string | null }) {
  const ok = props.status === "committed" || props.status === "pending";
  return <span class={ok ? "badge" : "badge bad"}>{props.code ? `${props.status}: ${props.code}` : props.status}</span>;
}
