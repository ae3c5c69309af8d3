/**
 * What an AWS data source declares about itself (its lib/sources/<key>/source.ts). The registry lists them; the
 * read-only allow-list, the deploy templates' test, the fixture AWS and the sync all read them from there.
 */
import type { FixtureResponder } from "@/lib/sources/fixture/world";

export interface Source {
  /** The service key: in call counts ("s3:ListBuckets") and as the collector of its sync tasks. */
  key: string;
  /**
   * Every SDK command this source may send, with the IAM actions the read-only role needs for it: its slice of the
   * read-only allow-list. The role templates in deploy/ grant exactly the union of these (deploy-templates.test.ts).
   */
  commands: Readonly<Record<string, readonly string[]>>;
  /** How the fixture AWS answers this source's commands; absent when the connector answers them itself (STS). */
  fixture?: FixtureResponder;
}
