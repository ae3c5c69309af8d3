/** One database server for the integration suite; each test file makes its own scratch database on it. */
import type { TestProject } from "vitest/node";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

let db: TestDatabase | null = null;

export async function setup(project: TestProject) {
  db = await createTestDatabase("integration");
  project.provide("testServerUrl", db.serverUrl);
}

export async function teardown() {
  await db?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    testServerUrl: string;
  }
}
