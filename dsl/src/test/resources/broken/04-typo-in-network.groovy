topology('t') {
    network('n') { subnett '10.0.0.0/24' }
    box('a') { image 'demo' }
}
