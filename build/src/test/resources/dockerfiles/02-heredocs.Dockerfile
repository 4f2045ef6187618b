FROM demo
RUN <<EOF
echo one
echo "two $HOME"
EOF
RUN <<-EOT bash
	echo tabs stripped
	EOT
RUN python3 <<'PY' > out.txt
print("not expanded: $HOME")
PY
COPY <<EOF /etc/motd
welcome
EOF
COPY <<A <<B /etc/
first
A
second
B
