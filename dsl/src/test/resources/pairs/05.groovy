topology('p05') {
    volume('data')
    box('db') { image 'demo'; volume 'data', '/data'; tmpfs '/run' }
}
