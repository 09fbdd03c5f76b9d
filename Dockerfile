# The Swarmflow image, for the API server (`serve`) and the workers (`worker`): TypeScript sources run
# through tsx, production dependencies only. Used by docker-compose.yml and deploy/k8s.
# Debian (glibc), not Alpine: the Temporal worker's native core bridge is built for glibc.
FROM node:22-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

# The lockfile names the packages/client workspace: npm ci wants its package.json.
COPY package.json package-lock.json ./
COPY packages/client/package.json packages/client/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .
RUN mkdir -p /var/lib/swarmflow && chown 1000:1000 /var/lib/swarmflow

# A numeric user (the image's `node`), so that Kubernetes can check runAsNonRoot. The code is
# root-owned and read-only to it; it writes only to /tmp (tsx's compile cache) and /var/lib/swarmflow,
# which deploy/k8s mounts as emptyDirs under a read-only root filesystem.
USER 1000:1000
CMD ["node", "bin/swarmflow.js", "worker"]
