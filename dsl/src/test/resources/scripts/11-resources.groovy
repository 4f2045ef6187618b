topology('res') {
    box('app') { image 'demo'; resources cpus: 2, memory: 512.mb, pids: 64; replicas 2 }
}
