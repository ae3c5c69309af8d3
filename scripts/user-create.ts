/**
 * npm run user:create -- --email you@example.com --role admin [--name "Your Name"]
 * The password is asked for (hidden) on a terminal, or read from stdin when piped:
 *   printf '%s' "$PASSWORD" | npm run user:create -- --email … --role auditor
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { createPrismaClient } from "@/lib/db/prisma";
import { resolveDatabase } from "@/lib/db/resolve-database";
import { applyMigrations } from "@/lib/db/schema-engine";
import { checkPasswordStrength } from "@/lib/auth/password-policy";
import { hashPassword } from "@/lib/server/auth/password";
import { ROLES, roleToDb } from "@/lib/roles";

const Args = z.object({
  email: z.string({ error: "--email is required" }).trim().toLowerCase().email("--email must be an e-mail address"),
  role: z.enum(ROLES, { error: `--role must be one of ${ROLES.join(", ")}` }),
  name: z.string().trim().min(1).max(100).optional(),
});

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks)
      .toString("utf8")
      .replace(/\r?\n$/, "");
  }
  process.stdout.write("Password: ");
  process.stdin.setRawMode(true);
  process.stdin.resume();
  return new Promise((resolve) => {
    let value = "";
    process.stdin.on("data", (buf: Buffer) => {
      for (const ch of buf.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          process.stdin.setRawMode(false);
          process.stdin.pause();
          process.stdout.write("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") process.exit(130);
        if (ch === "\u007f") value = value.slice(0, -1);
        else value += ch;
      }
    });
  });
}

let parsed;
try {
  const { values } = parseArgs({
    options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
  });
  parsed = Args.safeParse(values);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(issue.message);
  console.error(`Usage: npm run user:create -- --email you@example.com --role ${ROLES.join("|")} [--name 'Name']`);
  process.exit(2);
}
const password = await readPassword();
const strength = checkPasswordStrength(password, { email: parsed.data.email, name: parsed.data.name });
if (!strength.ok) {
  console.error(strength.message);
  process.exit(2);
}

const db = await resolveDatabase();
let code = 0;
try {
  await applyMigrations(db.url);
  const prisma = createPrismaClient(db.url);
  const { email, role, name } = parsed.data;
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) {
    console.error(`A user with e-mail ${email} already exists.`);
    code = 1;
  } else {
    await prisma.user.create({
      data: {
        email,
        role: roleToDb(role),
        name: name ?? email.split("@")[0]!,
        passwordHash: await hashPassword(password),
      },
    });
    await prisma.auditEvent.create({
      data: {
        action: "user.create",
        outcome: "success",
        targetType: "user",
        targetId: email,
        detail: { role, via: "cli" },
      },
    });
    console.log(`Created ${role} ${email}.`);
  }
  await prisma.$disconnect();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  await db.stop();
}
process.exit(code);
