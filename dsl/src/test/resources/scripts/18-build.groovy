topology('built') {
    box('api') {
        build 'api'
    }
    box('worker') {
        image 'registry.example/worker:2'
        build context: 'worker', dockerfile: 'Worker.Dockerfile', args: [VERSION: '1.2'], target: 'runtime', no_cache: true
        dependsOn 'api'
    }
}
