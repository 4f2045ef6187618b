topology('t') {
    box('a') { image 'demo' }
}
throw new IllegalStateException('deliberate')
