// Lint = TypeScript's recommended rules + the house rules of DESIGN.md §2, enforced rather than hoped for.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

const restrict = (patterns, message) => ({ group: patterns, message });

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
    // Only lib/collectors may talk to AWS.
    files: ["**/*.{ts,tsx,mjs,js}"],
    ignores: ["lib/collectors/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [restrict(["@aws-sdk/*"], "Only lib/collectors imports @aws-sdk (DESIGN.md §2).")] },
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
                "@/lib/collectors/*",
                "@/lib/sync/*",
                "@/lib/evaluation/*",
                "@/lib/db/*",
                "@/lib/generated/*",
                "**/server/**",
                "**/collectors/**",
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
            restrict(["@aws-sdk/*"], "Only lib/collectors imports @aws-sdk (DESIGN.md §2)."),
            restrict(
              ["@prisma/*", "@/lib/generated/*", "@/lib/db/*", "pg"],
              "Use a DAL function from lib/server/dal (it authorizes first).",
            ),
          ],
        },
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
      ],
    },
  },
);
