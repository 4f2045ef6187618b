topology('p01') {
    box('app') { image 'demo' }
}
