# The Swarmflow worker image: TypeScript sources run through tsx, production dependencies only.
# Debian (glibc), not Alpine: the Temporal worker's native core bridge is built for glibc.
FROM node:20.20.2-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .
RUN mkdir -p /var/lib/swarmflow && chown node:node /var/lib/swarmflow

USER node
CMD ["node", "bin/swarmflow.js", "worker"]
