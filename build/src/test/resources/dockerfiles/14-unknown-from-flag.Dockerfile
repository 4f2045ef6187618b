FROM --pltform=linux/amd64 demo
