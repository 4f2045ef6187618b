topology('t') {
    box('a') { image 'demo'; ports '80:http' }
}
