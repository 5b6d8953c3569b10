# One image for both processes: `server` (default command) and `tiler` (node tiler/dist/main.js).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY demo-data/package.json demo-data/
COPY server/package.json server/
COPY tiler/package.json tiler/
COPY client/package.json client/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# libopenslide0: the tiler's scanner formats; ffmpeg: video frames.
RUN apt-get update \
  && apt-get install -y --no-install-recommends libopenslide0 ffmpeg ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production TESSERA_DATA_DIR=/data
VOLUME ["/data"]
USER node
EXPOSE 8000 8001
CMD ["node", "server/dist/cli/main.js", "serve"]
