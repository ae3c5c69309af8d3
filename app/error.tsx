"use client";
/** Errors of every page below the root layout: "database unreachable — retrying" or a plain error (see ErrorView). */
import { ErrorView } from "./_error/error-view";

export default function ErrorPage(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorView {...props} />;
}
