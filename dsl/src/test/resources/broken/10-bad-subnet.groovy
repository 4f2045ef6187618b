topology('t') {
    network('n') { subnet '10.0.0.0/40' }
    box('a') { image 'demo'; network 'n' }
}
