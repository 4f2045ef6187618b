topology('t') {
    box('a') { command 'true' }
}
