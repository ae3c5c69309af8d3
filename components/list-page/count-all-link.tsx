import Link from "next/link";

/**
 * Follows "1–50 of more than 10,000 …" on a list whose count stopped at its limit: the same view with `count=all`,
 * which counts to the end.
 */
export function CountAllLink({ href }: { href: string }) {
  return (
    <Link href={href} className="whitespace-nowrap font-medium text-indigo-700 hover:underline" data-testid="count-all">
      Count them all
    </Link>
  );
}
