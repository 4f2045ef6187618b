# syntax=docker/dockerfile:1.7
# escape is the default here
ARG BASE=debian:12
ARG TAG
FROM --platform=$BUILDPLATFORM ${BASE} AS build
MAINTAINER someone@example.org
ARG VERSION=1.0 REVISION
ENV APP=/app PATH=/app/bin:$PATH
ENV LEGACY some value with spaces
LABEL org.opencontainers.image.version=$VERSION "quoted key"="a b"
WORKDIR $APP
USER 1000:1000
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN echo shell form \
    continued
RUN ["echo", "exec", "form"]
RUN --mount=type=cache,target=/root/.cache,id=pip,sharing=locked --mount=type=secret,id=token --network=none make
COPY --chown=1000:1000 --chmod=644 --link a.txt b.txt /dst/
ADD --checksum=sha256:0123 https://example.org/file.tar.gz /opt/
ADD local.tar.gz /opt/
EXPOSE 80 443/tcp 53/udp
VOLUME ["/data", "/logs"]
VOLUME /cache
STOPSIGNAL SIGQUIT
HEALTHCHECK --interval=5s --timeout=2s --start-period=10s --start-interval=1s --retries=4 CMD ["curl", "-f", "http://localhost/"]
ONBUILD RUN echo triggered
ENTRYPOINT ["/app/bin/server"]
CMD ["--port", "80"]

FROM build
HEALTHCHECK NONE
CMD server --flag
