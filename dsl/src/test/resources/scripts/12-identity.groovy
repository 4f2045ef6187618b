topology('id') {
    box('app') {
        image 'demo'
        user '1000:1000'
        workdir '/srv'
        hostname 'apphost'
        name 'fixed-name'
        readOnly true
        labels team: 'core'
    }
}
