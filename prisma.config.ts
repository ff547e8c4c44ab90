import { defineConfig } from "prisma/config";

// The Prisma CLI is only used offline here (`prisma generate`, `prisma migrate diff`); the service applies
// migrations itself (src/store/migrate.ts). The URL is only read by CLI commands that talk to a database.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" },
});
