topology('p03') {
    box('app') { image 'demo'; env A: '1', B: 'two' }
}
