topology('env') {
    box('app') {
        image 'demo'
        env A: 1, B: 'two'
        env 'C', true
    }
}
