"use client";
/** Errors of the root layout itself: the same view, inside its own document. */
import "./globals.css";
import { ErrorView } from "./_error/error-view";

export default function GlobalError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <ErrorView {...props} />
      </body>
    </html>
  );
}
