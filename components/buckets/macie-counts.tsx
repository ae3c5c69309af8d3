/**
 * A bucket's open Macie findings by kind: sensitive data (what the bucket holds) and policy (what Macie saw about its
 * access: public, shared externally, encryption or Block Public Access disabled). Counted apart everywhere.
 */
export function MacieCounts({
  sensitive,
  policy,
  showNone = false,
}: {
  sensitive: number;
  policy: number;
  showNone?: boolean;
}) {
  if (sensitive === 0 && policy === 0) {
    return showNone ? (
      <p className="mt-1 text-xs text-slate-600" data-testid="macie-counts">
        No open Macie findings
      </p>
    ) : null;
  }
  return (
    <p className="mt-1 whitespace-nowrap text-xs text-slate-600" data-testid="macie-counts">
      Macie: {sensitive} sensitive-data · {policy} policy
    </p>
  );
}
