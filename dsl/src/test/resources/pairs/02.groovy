topology('p02') {
    box('app') { image 'demo'; command 'sh', '-c', 'echo hi' }
}
