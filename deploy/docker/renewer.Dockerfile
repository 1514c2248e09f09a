# syntax=docker/dockerfile:1.7
# Image of the renewer service. Build from the repository root:
#   docker build -f deploy/docker/renewer.Dockerfile -t gcal-sync/renewer .
# Runs as a non-root user with nothing to write outside /tmp (mount an emptyDir there when the
# root filesystem is read-only, as the Helm chart does).
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV CI=true PNPM_HOME=/pnpm COREPACK_ENABLE_DOWNLOAD_PROMPT=0
ENV PATH=$PNPM_HOME:$PATH
RUN corepack enable && corepack prepare pnpm@10.34.8 --activate
WORKDIR /repo
# Lockfile first: the dependency layer is reused while only sources change.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch --frozen-lockfile
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm install --frozen-lockfile --offline \
  && pnpm exec turbo run build --filter=@gcal-sync/renewer... \
  && sh deploy/docker/bundle.sh renewer /out

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=8080
WORKDIR /app
# Files stay root-owned and read-only for the runtime user.
COPY --from=build /out /app
# The node image's unprivileged user, numeric so runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
ENTRYPOINT ["node", "dist/bin.js"]
