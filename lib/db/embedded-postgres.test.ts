import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { customDataDir, ROOT_DATA_PARENT, traversableByOthers } from "./embedded-postgres";

// Issue 14 §6: as root, `git clone … ~/custody && npm install && npm start` must just work although root's home is
// private (mode 700) and the embedded Postgres runs as the "postgres" user.
const base = mkdtempSync(path.join(os.tmpdir(), "custody-datadir-"));
const privateHome = path.join(base, "root-home");
const project = path.join(privateHome, "custody");
const openProject = path.join(base, "srv", "custody");
mkdirSync(project, { recursive: true });
mkdirSync(openProject, { recursive: true });
chmodSync(base, 0o755);
chmodSync(path.join(base, "srv"), 0o755);
chmodSync(openProject, 0o755);
chmodSync(privateHome, 0o700);
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("the embedded database's folder", () => {
  it("is .custody/ in the project for a normal user, or as root where the postgres user can reach it", () => {
    expect(customDataDir(project, 1000, undefined)).toBe(path.join(project, ".custody"));
    expect(traversableByOthers(openProject)).toBe(true);
    expect(customDataDir(openProject, 0, undefined)).toBe(path.join(openProject, ".custody"));
  });
  it("moves under /var/lib/custody for root in a private home, one folder per project", () => {
    expect(traversableByOthers(project)).toBe(false);
    const dir = customDataDir(project, 0, undefined);
    expect(path.dirname(dir)).toBe(ROOT_DATA_PARENT);
    expect(path.basename(dir)).toMatch(/^custody-[0-9a-f]{12}$/);
    expect(customDataDir(project, 0, undefined)).toBe(dir); // stable across starts
  });
  it("CUSTODY_DATA_DIR always wins", () => {
    expect(customDataDir(project, 0, "/data/custody")).toBe("/data/custody");
  });
});
