topology('inc') {
    include 'extra.yaml'
    box('web') { image 'demo'; dependsOn 'cache' }
}
