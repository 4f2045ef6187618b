topology('vols') {
    volume('data')
    box('app') {
        image 'demo'
        volume 'data', '/data'
        volume './conf', '/etc/app', readOnly: true
        tmpfs '/scratch'
    }
}
