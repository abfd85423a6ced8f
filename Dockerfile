# Stepline as a container image: `docker build -t stepline .`, then
#   docker run -p 8083:8083 -v stepline-data:/data stepline
# Build stage: Debian 12 with the packages of scripts/install-deps.sh; only the
# `stepline` target is built (Release, no tests, no benchmarks).
# Runtime stage: FROM scratch, holding the stripped binary, exactly the shared
# libraries `ldd` lists for it (glibc, libstdc++, SQLite, spdlog, ...), the CA
# bundle for HTTPS integrations and a passwd entry for the non-root user
# (about 18 MB; no shell, no package manager, no compiler).
# Tested by docker/test-image.sh (podman/buildah; HEALTHCHECK needs --format docker there).

FROM debian:bookworm-slim AS build
ENV DEBIAN_FRONTEND=noninteractive CCACHE_DISABLE=1
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN /tmp/install-deps.sh && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .
# JOBS: parallel compile jobs (empty = one per CPU).
ARG JOBS=
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DSTEPLINE_TESTS=OFF -DSTEPLINE_BENCH=OFF >/dev/null \
 && cmake --build /build --target stepline -j "${JOBS:-$(nproc)}" \
 && strip --strip-unneeded /build/server/stepline \
 && /build/server/stepline --version

# The runtime file tree, assembled under /rootfs.
RUN set -eu; r=/rootfs; \
    install -D -m 0755 /build/server/stepline $r/usr/local/bin/stepline; \
    for lib in $(ldd /build/server/stepline | grep -o '/[^ ]*'); do \
      cp -L --parents "$lib" $r/; \
    done; \
    install -D -m 0644 /etc/ssl/certs/ca-certificates.crt $r/etc/ssl/certs/ca-certificates.crt; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\nstepline:x:10001:10001:stepline:/data:/sbin/nologin\n' > $r/etc/passwd; \
    printf 'root:x:0:\nstepline:x:10001:\n' > $r/etc/group; \
    printf 'hosts: files dns\n' > $r/etc/nsswitch.conf; \
    mkdir -p -m 1777 $r/tmp; \
    mkdir -p /data && chown 10001:10001 /data; \
    chroot $r /usr/local/bin/stepline --version

FROM scratch
COPY --from=build /rootfs/ /
COPY --from=build --chown=10001:10001 /data /data
ENV PATH=/usr/local/bin:/usr/bin:/bin \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    STEPLINE_HOST=0.0.0.0 \
    STEPLINE_PORT=8083 \
    STEPLINE_DB=/data/stepline.db
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8083
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 \
    CMD ["stepline", "--health-check"]
ENTRYPOINT ["stepline"]
