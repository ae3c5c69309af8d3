// Runs `prisma generate` without the native schema engine.
// Prisma 7's CLI wants a schema-engine binary that it downloads from binaries.prisma.sh, which is unreachable on
// offline machines. `generate` never calls the engine, so we point the CLI at a stub that exits 1.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const stubDir = path.join(root, "node_modules", ".cache", "custody");
const stub = path.join(stubDir, "schema-engine-stub.sh");
if (!existsSync(stub)) {
  mkdirSync(stubDir, { recursive: true });
  writeFileSync(
    stub,
    "#!/bin/sh\necho 'schema-engine stub: Custody applies migrations with @prisma/schema-engine-wasm' >&2\nexit 1\n",
  );
  chmodSync(stub, 0o755);
}
if (!existsSync(path.join(root, "prisma", "schema.prisma"))) process.exit(0);
const result = spawnSync(path.join(root, "node_modules", ".bin", "prisma"), ["generate"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? stub,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
