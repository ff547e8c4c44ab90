# syntax=docker/dockerfile:1
# Build: install with dev dependencies, generate the Prisma client and compile src/ to dist/ (postinstall),
# then drop the dev dependencies. The runtime image gets dist/, runtime node_modules and the data files only:
# no TypeScript sources, no TypeScript toolchain.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run prisma:generate && npm run build \
 \
 && npm prune --omit=dev --no-audit --no-fund && node scripts/prune-runtime.mjs

FROM node:24-slim
ENV NODE_ENV=production DATA_DIR=/data PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/policies ./policies
# The digest chart's font: the slim image has no fonts at all (src/reports/chartImage.ts).
COPY --from=build --chown=node:node /app/assets ./assets
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/escalator.js", "serve"]
