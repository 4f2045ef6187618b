topology('cmd') {
    box('app') {
        image 'demo'
        entrypoint 'sh', '-c'
        command 'echo hi'
    }
}
