topology('one') {
    box('app') { image 'demo' }
}
