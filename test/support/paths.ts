import { fileURLToPath } from "node:url";

export const templatePath = fileURLToPath(new URL("../../.tmp/pglite-template.tar", import.meta.url));
