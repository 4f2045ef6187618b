FROM demo
RUN <<EOF
echo never closed
