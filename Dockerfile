# syntax=docker/dockerfile:1
# Flink Estimator: two stages on the same Debian slim base. Node 24 is the Active LTS line in
# late 2026 (Node 20, which CI uses, reached end of life in April 2026); the app runs on both.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles its native addon from source during npm ci.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="flink-estimator" \
      org.opencontainers.image.description="Sizes Apache Flink jobs: CPU, memory, parallelism, slots, TaskManagers, with Flink-exact memory plans and deployable manifests" \
      org.opencontainers.image.licenses="Apache-2.0"
# tini is PID 1: it forwards SIGTERM to node (graceful shutdown) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown node:node /data
WORKDIR /app
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    DATABASE_PATH=/data/flink-estimator.db
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node views ./views
COPY --chown=node:node public ./public
# The page scripts bundled from src/ (npm run build:browser) are built, not in the context.
COPY --from=build --chown=node:node /app/public/js/build ./public/js/build
VOLUME ["/data"]
USER node
EXPOSE 8080
# Slim images have no curl; Node's fetch does the probe.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# A 4 MiB young generation keeps the resident set ~30 MiB smaller for a few % more GC work.
CMD ["node", "--max-semi-space-size=4", "dist/server.js"]
