topology('p08') {
    box('app') { image 'demo'; resources cpus: 2, memory: '1g', pids: 50 }
}
