topology('p04') {
    box('web') { image 'demo'; ports '127.0.0.1:8080:80', '53:53/udp' }
}
