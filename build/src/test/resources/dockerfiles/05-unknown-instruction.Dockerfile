FROM demo
RUN true
FROB something
