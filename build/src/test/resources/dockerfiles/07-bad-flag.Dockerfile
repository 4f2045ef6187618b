FROM demo
COPY --chown=1:1x"y"z a b
COPY --from stage a b
