import path from "node:path";
import { defineConfig } from "prisma/config";

// The datasource URL is read from the environment; an empty string keeps `prisma generate` working without one.
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
