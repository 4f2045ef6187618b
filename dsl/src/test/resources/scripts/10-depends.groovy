topology('deps') {
    box('db') { image 'demo' }
    box('migrate') { image 'demo'; dependsOn 'db' }
    box('app') { image 'demo'; dependsOn 'migrate', completed: true; dependsOn 'db', healthy: true }
}
