// Lint = TypeScript's recommended rules + the house rules of DESIGN.md §2, enforced rather than hoped for.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import dalAuthorizes from "./eslint-rules/dal-authorizes.mjs";

const restrict = (patterns, message) => ({ group: patterns, message });

// A later block's no-restricted-syntax replaces an earlier one for the same file, so every block that sets the rule
// repeats this one (ESLint flat config does not merge a rule's options).
const ENV_READ = {
  selector:
    "MemberExpression[object.type='MemberExpression'][object.object.name='process'][object.property.name='env']:not([property.name=/^(NEXT_RUNTIME|NODE_ENV)$/]):not(AssignmentExpression > MemberExpression.left)",
  message: "Read environment variables through lib/env.ts (validated once, documented in README).",
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".next/",
      ".next-*/",
      "lib/generated/",
      ".custody/",
      "test-results/",
      "playwright-report/",
      "next-env.d.ts",
      "bench/out/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Formatting is Prettier's job (`prettier --check` in `npm run lint`); this turns off the style rules that would fight it.
  prettier,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Only the AWS data sources (lib/sources) may talk to AWS. Emulator tests set up the emulator's state with the
    // SDK (tests/integration/*-emulator.test.ts): that is test set-up against moto, never the app.
    files: ["**/*.{ts,tsx,mjs,js}"],
    ignores: ["lib/sources/**", "tests/integration/*-emulator.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [restrict(["@aws-sdk/*"], "Only lib/sources imports @aws-sdk (DESIGN.md §2).")] },
      ],
    },
  },
  {
    // lib/domain is pure: no I/O, no framework, nothing outside itself but zod.
    files: ["lib/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            restrict(
              [
                "@aws-sdk/*",
                "@prisma/*",
                "next",
                "next/*",
                "react",
                "react-dom",
                "pg",
                "pino",
                "node:*",
                "fs",
                "path",
                "child_process",
                "http",
                "https",
                "net",
              ],
              "lib/domain is pure TypeScript without I/O (DESIGN.md §2).",
            ),
            restrict(
              [
                "@/lib/server/*",
                "@/lib/sources/*",
                "@/lib/sync/*",
                "@/lib/evaluation/*",
                "@/lib/db/*",
                "@/lib/generated/*",
                "**/server/**",
                "**/sources/**",
                "**/sync/**",
                "**/evaluation/**",
              ],
              "lib/domain imports nothing outside lib/domain.",
            ),
          ],
        },
      ],
    },
  },
  {
    // Pages, components and route handlers reach the database only through lib/server's DAL.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            restrict(["@aws-sdk/*"], "Only lib/sources imports @aws-sdk (DESIGN.md §2)."),
            restrict(
              ["@prisma/*", "@/lib/generated/*", "@/lib/db/*", "pg"],
              "Use a DAL function from lib/server/dal (it authorizes first).",
            ),
            restrict(
              ["@/lib/server/db"],
              "app/ never holds the database client: use a DAL function, or a server-only module of lib/server that binds it (e.g. lib/server/auth/browser-session.ts).",
            ),
          ],
        },
      ],
    },
  },
  {
    // The environment is read and validated in one place, lib/env.ts. NEXT_RUNTIME and NODE_ENV are the runtime's
    // own (Next inlines them at build time); writing a variable for a child process is not reading one. Build and
    // test tooling (next.config.js, playwright.config.ts, scripts/e2e.ts, scripts/build-if-stale.ts,
    // scripts/prisma-generate.mjs, tests/, e2e/, bench/) configure the tools, not Custody, and are not held to it.
    files: [
      "lib/**/*.{ts,tsx,mjs}",
      "app/**/*.{ts,tsx}",
      "components/**/*.{ts,tsx}",
      "scripts/**/*.{ts,mjs}",
      "proxy.ts",
      "instrumentation.ts",
    ],
    ignores: [
      "lib/env.ts",
      "**/*.test.ts",
      "scripts/e2e.ts",
      "scripts/build-if-stale.ts",
      "scripts/prisma-generate.mjs",
    ],
    rules: {
      "no-restricted-syntax": ["error", ENV_READ],
    },
  },
  {
    // One way to write a route handler: `export const GET = route({ permission, query, handle, … })`
    // (lib/server/http/route.ts authorizes, validates, maps errors and audits; guardedRoute may wrap it).
    files: ["app/api/**/route.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "ExportNamedDeclaration > FunctionDeclaration",
          message: "Export route handlers as `export const METHOD = route({ … })` (lib/server/http/route.ts).",
        },
        {
          selector:
            "ExportNamedDeclaration > VariableDeclaration > VariableDeclarator[id.name=/^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/]:not([init.callee.name=/^(route|guardedRoute)$/])",
          message: "Route handlers are made by route() (lib/server/http/route.ts).",
        },
        {
          selector: "TryStatement",
          message: "route() maps errors to responses; a route handler has no try/catch of its own.",
        },
        ENV_READ,
      ],
    },
  },
  {
    // One way to write a server action: formAction / callAction (lib/server/actions/server-action.ts).
    files: ["app/**/actions.ts", "app/**/*-actions.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "ExportNamedDeclaration > FunctionDeclaration",
          message:
            "Export server actions as `export const x = formAction({ … })` or `callAction({ … })` (lib/server/actions/server-action.ts).",
        },
        {
          selector:
            "ExportNamedDeclaration > VariableDeclaration > VariableDeclarator:not([init.callee.name=/^(formAction|callAction)$/])",
          message: "Server actions are made by formAction() or callAction() (lib/server/actions/server-action.ts).",
        },
        {
          selector: "TryStatement",
          message: "formAction/callAction map errors to the form's state; an action has no try/catch of its own.",
        },
        ENV_READ,
      ],
    },
  },
  {
    // components/ are presentational: no data fetching.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            restrict(
              [
                "@/lib/server/*",
                "@/lib/server/**",
                "@/lib/db/*",
                "@/lib/sync/*",
                "@/lib/evaluation/*",
                "@prisma/*",
                "@aws-sdk/*",
              ],
              "components/ are presentational; pages fetch data through lib/server.",
            ),
          ],
        },
      ],
    },
  },
  {
    // Authorization in the data layer on every call: each exported async DAL function checks first.
    files: ["lib/server/dal/**/*.ts"],
    ignores: ["lib/server/dal/**/*.test.ts"],
    plugins: { custody: { rules: { "dal-authorizes": dalAuthorizes } } },
    rules: { "custody/dal-authorizes": "error" },
  },
  {
    // Every lib/server module is marked server-only, so it can never be bundled for the browser.
    files: ["lib/server/**/*.ts"],
    ignores: ["lib/server/**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "Program:not(:has(ImportDeclaration[source.value='server-only']))",
          message: 'Every module in lib/server must `import "server-only"` (DESIGN.md §2).',
        },
        ENV_READ,
      ],
    },
  },
);
